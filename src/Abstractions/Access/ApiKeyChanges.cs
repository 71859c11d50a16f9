using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Abstractions.Access;

/// <summary>A partial update of a stored API key: each non-null change replaces that field, the rest stay.</summary>
public sealed record ApiKeyChanges
{
    public FieldChange<string>? Name { get; init; }
    public FieldChange<string>? Role { get; init; }
    public FieldChange<bool>? IsActive { get; init; }
    public FieldChange<IReadOnlyList<string>?>? AllowedModels { get; init; }
    public FieldChange<IReadOnlyList<string>?>? AllowedProviders { get; init; }
    public FieldChange<ParameterLimits?>? ParameterLimits { get; init; }
    public FieldChange<RateLimitConfig?>? RateLimit { get; init; }
    public FieldChange<BudgetConfig?>? Budget { get; init; }
    public FieldChange<string?>? Pipeline { get; init; }

    public bool IsEmpty =>
        Name is null && Role is null && IsActive is null && AllowedModels is null && AllowedProviders is null
        && ParameterLimits is null && RateLimit is null && Budget is null && Pipeline is null;
}
