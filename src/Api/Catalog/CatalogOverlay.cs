using LlmRouter.Abstractions.Catalog;
using LlmRouter.Grains.Catalog;

namespace LlmRouter.Api.Catalog;

/// <summary>
/// The configuration in force: router.toml's snapshot with the providers and models defined over REST (kept in
/// the store) added. The file wins for the names it defines. A new snapshot is made, and announced, when the
/// file reloads or the store's catalog changes (on this node at once, on other nodes at their next refresh).
/// </summary>
public sealed class CatalogOverlay : IRouterConfigSource, IDisposable
{
    private readonly IRouterConfigSource _file;
    private readonly ICatalogStore _store;
    private readonly StoredDefinitions _definitions = new();
    private readonly Lock _gate = new();
    private IReadOnlyList<ProviderConfig> _storedProviders = [];
    private IReadOnlyList<ModelConfig> _storedModels = [];
    private volatile RouterConfig _current;

    public CatalogOverlay(IRouterConfigSource file, ICatalogStore store)
    {
        _file = file;
        _store = store;
        _current = file.Current;
        file.Changed += OnFileChanged;
    }

    public RouterConfig Current => _current;

    /// <summary>The snapshot of router.toml alone: what the file defines (and so what REST may not change).</summary>
    public RouterConfig File => _file.Current;

    public event Action<RouterConfig>? Changed;

    /// <summary>
    /// Reads the store's catalog when it changed since the last read and publishes a new snapshot. Returns the
    /// stored definitions that could not be read (they are left out), for the caller to report.
    /// </summary>
    public ValueTask<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken = default) =>
        _definitions.RefreshAsync(_store.RevisionAsync, ReadAsync, cancellationToken);

    public void Dispose()
    {
        _file.Changed -= OnFileChanged;
        _definitions.Dispose();
    }

    private void OnFileChanged(RouterConfig snapshot) => Publish();

    private async ValueTask ReadAsync(List<string> problems, CancellationToken cancellationToken)
    {
        var providers = StoredDefinitions.Parse(await _store.ListProvidersAsync(cancellationToken).ConfigureAwait(false), CatalogDefinitions.ParseProvider, "provider", problems);
        var models = StoredDefinitions.Parse(await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false), CatalogDefinitions.ParseModel, "model", problems);
        lock (_gate)
        {
            _storedProviders = providers;
            _storedModels = models;
        }
        Publish();
    }

    private void Publish()
    {
        RouterConfig merged;
        lock (_gate)
        {
            var file = _file.Current;
            var providerNames = file.Providers.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var modelIds = file.Models.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
            merged = _storedProviders.Count == 0 && _storedModels.Count == 0
                ? file
                : file with
                {
                    Providers = [.. file.Providers, .. _storedProviders.Where(p => !providerNames.Contains(p.Name)).Select(p => RestProviderPolicy.Enforce(p, file.Server))],
                    Models = [.. file.Models, .. _storedModels.Where(m => !modelIds.Contains(m.Id))],
                };
            _current = merged;
        }
        Changed?.Invoke(merged);
    }
}
