using LlmRouter.Grains.Access;

namespace LlmRouter.Grains.Routing;

/// <summary>A tag route: models having every tag (and, when given, of one of the provider types).</summary>
public sealed record TagQuery
{
    public required ModelCatalog Catalog { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> ProviderTypes { get; init; } = [];
    public Func<ResolvedModel, AccessDenial?>? Allowed { get; init; }
    public int MaxAttempts { get; init; } = 4;

    public bool Fits(ResolvedModel model) =>
        Tags.All(tag => model.Model.Tags.Contains(tag, StringComparer.Ordinal))
        && (ProviderTypes.Count == 0 || ProviderTypes.Contains(model.Provider.Type, StringComparer.Ordinal));
}
