namespace LlmRouter.Abstractions.Metrics;

/// <summary>The <c>scope</c> label values of <c>llm_router_rate_limited_total</c>.</summary>
public static class RateLimitScopes
{
    public const string Model = "model";
    public const string Key = "key";

    public static IReadOnlyList<string> All { get; } = [Model, Key];
}
