namespace LlmRouter.Api.Auth.Keys;

/// <summary>A request to create an API key; without <see cref="Secret"/> a random one is generated under <see cref="Prefix"/>.</summary>
public sealed record NewApiKey
{
    public required string Name { get; init; }
    public string Role { get; init; } = ApiKeyRoles.User;
    public bool IsActive { get; init; } = true;

    /// <summary>A secret chosen by the caller (the seeds allow it); generated when null.</summary>
    public string? Secret { get; init; }

    public string Prefix { get; init; } = SecretTokens.DefaultKeyPrefix;
    public IReadOnlyList<string>? AllowedModels { get; init; }
    public IReadOnlyList<string>? AllowedProviders { get; init; }
    public ParameterLimits? ParameterLimits { get; init; }
    public RateLimitConfig? RateLimit { get; init; }
    public BudgetConfig? Budget { get; init; }

    /// <summary>The response pipeline for this key's answers (a <see cref="PipelineNames"/> name), over the model's own.</summary>
    public string? Pipeline { get; init; }
}
