using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Persistence;

/// <summary>How key policy fields are kept in a text column (the same JSON in every store), snake_case like router.toml.</summary>
public static class AccessJson
{
    public static string? WriteList(IReadOnlyList<string>? list) =>
        list is null ? null : new JsonArray(list.Select(item => (JsonNode?)JsonValue.Create(item)).ToArray()).ToJsonString();

    public static IReadOnlyList<string>? ReadList(string? json) =>
        json is null ? null : JsonNode.Parse(json)!.AsArray().Select(item => item!.GetValue<string>()).ToArray();

    public static string? WriteLimits(ParameterLimits? limits) => limits is null ? null : new JsonObject
    {
        ["max_tokens"] = limits.MaxTokens,
        ["temperature"] = limits.Temperature,
        ["top_p"] = limits.TopP,
        ["n"] = limits.N,
    }.ToJsonString();

    public static ParameterLimits? ReadLimits(string? json) => Read(json, o => new ParameterLimits
    {
        MaxTokens = o["max_tokens"]?.GetValue<int>(),
        Temperature = o["temperature"]?.GetValue<double>(),
        TopP = o["top_p"]?.GetValue<double>(),
        N = o["n"]?.GetValue<int>(),
    });

    public static string? WriteRateLimit(RateLimitConfig? limit) => limit is null ? null : new JsonObject
    {
        ["max_requests"] = limit.MaxRequests,
        ["per_seconds"] = limit.PerSeconds,
        ["burst_size"] = limit.BurstSize,
        ["tokens_per_minute"] = limit.TokensPerMinute,
    }.ToJsonString();

    public static RateLimitConfig? ReadRateLimit(string? json) => Read(json, o => new RateLimitConfig
    {
        MaxRequests = o["max_requests"]?.GetValue<int>(),
        PerSeconds = o["per_seconds"]?.GetValue<double>() ?? 60,
        BurstSize = o["burst_size"]?.GetValue<int>(),
        TokensPerMinute = o["tokens_per_minute"]?.GetValue<long>(),
    });

    public static string? WriteBudget(BudgetConfig? budget) => budget is null ? null : new JsonObject
    {
        // As a string, so that no decimal digit is lost through a double.
        ["limit_usd"] = budget.LimitUsd.ToString(CultureInfo.InvariantCulture),
        ["period"] = budget.Period,
    }.ToJsonString();

    public static BudgetConfig? ReadBudget(string? json) => Read(json, o =>
    {
        var limit = o["limit_usd"]!;
        return new BudgetConfig
        {
            LimitUsd = limit.GetValueKind() == JsonValueKind.String
                ? decimal.Parse(limit.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture)
                : limit.GetValue<decimal>(),
            Period = o["period"]?.GetValue<string>() ?? "month",
        };
    });

    /// <summary>A column's JSON object read by <paramref name="read"/>; null for a null column.</summary>
    private static T? Read<T>(string? json, Func<JsonObject, T> read)
        where T : class =>
        json is null ? null : read(JsonNode.Parse(json)!.AsObject());
}
