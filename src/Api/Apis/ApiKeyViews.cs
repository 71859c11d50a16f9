using LlmRouter.Abstractions.Access;

namespace LlmRouter.Api.Apis;

/// <summary>How API keys are shown over REST: never the secret, never its hash.</summary>
internal static class ApiKeyViews
{
    public static ApiKeyView From(ApiKeyRecord key) => new(
        key.Id, key.Name, key.Role, key.IsActive, key.Source, key.AllowedModels, key.AllowedProviders,
        key.ParameterLimits is { } limits ? new ParameterLimitsView(limits.MaxTokens, limits.Temperature, limits.TopP, limits.N) : null,
        key.RateLimit is { } rate ? new RateLimitView(rate.MaxRequests, rate.PerSeconds, rate.BurstSize, rate.TokensPerMinute) : null,
        key.Budget is { } budget ? new BudgetView(budget.LimitUsd, budget.Period) : null,
        key.Pipeline,
        key.CreatedAt, key.UpdatedAt, key.LastUsedAt);

    /// <summary>The answer to a creation: the view plus the secret, the one time it is ever shown.</summary>
    public static JsonObject Created(ApiKeyRecord key, string secret)
    {
        var json = JsonSerializer.SerializeToNode(From(key), ApiJsonContext.Default.ApiKeyView)!.AsObject();
        json["key"] = secret;
        return json;
    }
}
