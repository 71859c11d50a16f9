using LlmRouter.Abstractions.Catalog;

namespace LlmRouter.Abstractions.Routing;

/// <summary>
/// Routing rules defined over REST, keyed by name, kept as opaque JSON definitions (router.toml's key names).
/// Each change is one atomic statement on one row; a deleted rule leaves a tombstone so the revision only grows.
/// </summary>
public interface IRoutingRuleStore
{
    /// <summary>Live rules in the order they were first created.</summary>
    ValueTask<IReadOnlyList<CatalogDocument>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a rule; <c>Created</c> says no live rule had the name.</summary>
    ValueTask<(CatalogDocument Document, bool Created)> UpsertAsync(string name, string json, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>False when no live rule has this name.</summary>
    ValueTask<bool> DeleteAsync(string name, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>A number that grows with every change, so nodes can tell cheaply when to reload.</summary>
    ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default);
}
