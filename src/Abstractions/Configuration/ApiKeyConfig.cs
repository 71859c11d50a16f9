namespace LlmRouter.Abstractions.Configuration;

/// <summary>One [[api_keys]] entry: a client credential and the policy bound to it.</summary>
public sealed record ApiKeyConfig
{
    /// <summary>Environment variable holding the key (preferred over <see cref="Key"/>).</summary>
    public string? KeyEnv { get; init; }

    public string? Key { get; init; }
    public required string Name { get; init; }
    public string Role { get; init; } = ApiKeyRoles.User;
    public bool IsActive { get; init; } = true;

    /// <summary>Allowed <c>provider/model</c> ids; null means no restriction.</summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>Allowed provider names; null means no restriction.</summary>
    public IReadOnlyList<string>? AllowedProviders { get; init; }

    public ParameterLimits? ParameterLimits { get; init; }
    public RateLimitConfig? RateLimit { get; init; }
    public BudgetConfig? Budget { get; init; }

    /// <summary>Request/response pipeline applied to this key's calls (e.g. <c>think_tags</c>).</summary>
    public string? Pipeline { get; init; }
}
