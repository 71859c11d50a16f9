namespace LlmRouter.Abstractions.Catalog;

/// <summary>
/// Providers (keyed by name) and models (keyed by <c>provider/model</c>) defined over REST. The store keeps their
/// JSON definitions opaque; each change is one atomic statement on one row.
/// </summary>
public interface ICatalogStore
{
    ValueTask<IReadOnlyList<CatalogDocument>> ListProvidersAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a provider's definition.</summary>
    ValueTask<CatalogDocument> UpsertProviderAsync(string name, string json, DateTimeOffset now, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<CatalogDocument>> ListModelsAsync(CancellationToken cancellationToken = default);

    ValueTask<CatalogDocument?> GetModelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Inserts a model; null when one with this id exists.</summary>
    ValueTask<CatalogDocument?> CreateModelAsync(string id, string json, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Replaces a model's definition if it is still at <paramref name="expectedVersion"/>; null otherwise.</summary>
    ValueTask<CatalogDocument?> UpdateModelAsync(string id, string json, long expectedVersion, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>A number that grows with every change to either table, so nodes can tell cheaply when to reload.</summary>
    ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default);
}
