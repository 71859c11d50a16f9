namespace LlmRouter.Abstractions.Configuration;

/// <summary>
/// The terms an API key is held on: its role, whether it works, the models and providers it may use, the limits on its calls
/// and the pipeline for its answers. A key in router.toml (<see cref="ApiKeyConfig"/>), a key the router knows and a
/// request to create one carry the same terms; a key made from either takes them over whole (the copy constructor).
/// </summary>
public abstract record ApiKeyTerms
{
    public string Role { get; init; } = ApiKeyRoles.User;
    public bool IsActive { get; init; } = true;

    /// <summary>Allowed <c>provider/model</c> ids; null means no restriction.</summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>Allowed provider names; null means no restriction.</summary>
    public IReadOnlyList<string>? AllowedProviders { get; init; }

    public ParameterLimits? ParameterLimits { get; init; }
    public RateLimitConfig? RateLimit { get; init; }
    public BudgetConfig? Budget { get; init; }

    /// <summary>The response pipeline for this key's answers (a <see cref="PipelineNames"/> name, e.g. <c>think_tags</c>), over the model's own.</summary>
    public string? Pipeline { get; init; }
}
