namespace LlmRouter.Api.Json;

/// <summary>An API key as listed over REST: its id, policy and times, never its secret or the secret's hash.</summary>
public sealed record ApiKeyView(
    string Id,
    string Name,
    string Role,
    bool IsActive,
    string Source,
    IReadOnlyList<string>? AllowedModels,
    IReadOnlyList<string>? AllowedProviders,
    ParameterLimitsView? ParameterLimits,
    RateLimitView? RateLimit,
    BudgetView? Budget,
    string? Pipeline,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? LastUsedAt);
