using System.Globalization;

namespace LlmRouter.Api.ClientFormats.Responses;

/// <summary>
/// The page GET /v1/responses/{id}/input_items asks for: <c>limit</c> (1–100, default 20), <c>order</c>
/// (<c>asc</c> or <c>desc</c>, default <c>desc</c>) and <c>after</c> (the id of the item the page starts after).
/// </summary>
public sealed record InputItemsQuery(int Limit, bool Ascending, string? After)
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    /// <summary>The query, or the 400 that names the first parameter it cannot take.</summary>
    public static (InputItemsQuery? Query, ApiError? Error) Read(IQueryCollection query)
    {
        foreach (var name in (string[])["limit", "order", "after"])
        {
            if (query[name].Count > 1)
            {
                return (null, ApiErrors.Invalid(name, $"'{name}' may be given only once."));
            }
        }
        string? limitText = query["limit"], order = query["order"], after = query["after"];
        var limit = DefaultLimit;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return (null, ApiErrors.Invalid("limit", $"'limit' must be an integer from 1 to {MaxLimit}."));
        }
        if (order is not (null or "asc" or "desc"))
        {
            return (null, ApiErrors.Invalid("order", "'order' must be 'asc' or 'desc'."));
        }
        if (after is { Length: 0 })
        {
            return (null, ApiErrors.Invalid("after", "'after' must be the id of an input item."));
        }
        return (new InputItemsQuery(limit, order == "asc", after), null);
    }

    /// <summary>OpenAI's list of <paramref name="items"/> (in input order) for this page; a 400 when <see cref="After"/> names none of them.</summary>
    public (JsonObject? List, ApiError? Error) Page(JsonArray items, string responseId)
    {
        var ordered = Ascending ? items.ToList() : items.Reverse().ToList();
        var start = 0;
        if (After is not null)
        {
            var at = ordered.FindIndex(item => JsonNodes.String(item?["id"]) == After);
            if (at < 0)
            {
                return (null, ApiErrors.Invalid("after", $"Response '{responseId}' has no input item with id '{After}'."));
            }
            start = at + 1;
        }
        var data = new JsonArray(ordered.Skip(start).Take(Limit).Select(item => item?.DeepClone()).ToArray());
        return (new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["first_id"] = data.Count > 0 ? data[0]!["id"]?.DeepClone() : null,
            ["last_id"] = data.Count > 0 ? data[^1]!["id"]?.DeepClone() : null,
            ["has_more"] = start + data.Count < ordered.Count,
        }, null);
    }
}
