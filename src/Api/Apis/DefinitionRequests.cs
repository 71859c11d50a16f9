using System.Diagnostics.CodeAnalysis;
using LlmRouter.Api.Chat;
using LlmRouter.Grains.Catalog;

namespace LlmRouter.Api.Apis;

/// <summary>
/// What the management endpoints that define things over REST (providers, models, routing rules, keys, the toggle)
/// share: a definition read from the JSON body, where a bad body or a bad definition becomes the 400 to answer; the
/// <c>source</c> each definition is listed with; the refusal to change what router.toml defines.
/// </summary>
internal static class DefinitionRequests
{
    /// <summary>The body, parsed by <paramref name="parse"/>; or, when it cannot be, the error result to answer with.</summary>
    public static async Task<Definition<T>> ReadAsync<T>(HttpContext http, long maxBodyBytes, Func<JsonObject, T> parse)
    {
        var (body, error) = await ChatBodyReader.ReadObjectAsync(http.Request, maxBodyBytes, http.RequestAborted).ConfigureAwait(false);
        return error is not null ? new(default, ErrorWriter.Result(error)) : Parse(body!, parse);
    }

    /// <summary><paramref name="json"/> parsed by <paramref name="parse"/>; or the 400 saying what is wrong with it.</summary>
    public static Definition<T> Parse<T>(JsonObject json, Func<JsonObject, T> parse)
    {
        try
        {
            return new(parse(json), null);
        }
        catch (DefinitionException exception)
        {
            return new(default, ErrorWriter.Result(ApiErrors.Invalid(exception.Param ?? "body", exception.Message)));
        }
    }

    /// <summary>Marks a definition's JSON with where it is kept: <c>config</c> (router.toml) or <c>store</c> (defined over REST).</summary>
    public static JsonObject WithSource(JsonObject json, bool fromFile)
    {
        json["source"] = fromFile ? "config" : "store";
        return json;
    }

    /// <summary>The 409 for a change to <paramref name="what"/>, which router.toml defines.</summary>
    public static ApiError DefinedInFile(string what) =>
        new(409, "invalid_request_error", $"The {what} is defined in router.toml; change it there.", "name", "defined_in_config");
}

/// <summary>A definition read from a request: its value, or the error result to answer with instead.</summary>
internal readonly record struct Definition<T>(T? Value, IResult? Problem)
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool Ok => Problem is null;
}
