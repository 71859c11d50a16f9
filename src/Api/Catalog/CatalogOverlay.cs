using LlmRouter.Abstractions.Catalog;
using LlmRouter.Grains.Catalog;

namespace LlmRouter.Api.Catalog;

/// <summary>
/// The configuration in force: router.toml's snapshot with the providers and models defined over REST (kept in
/// the store) added. The file wins for the names it defines. A new snapshot is made, and announced, when the
/// file reloads or the store's catalog changes (on this node at once, on other nodes at their next refresh).
/// </summary>
public sealed class CatalogOverlay(IRouterConfigSource file, ICatalogStore store) : StoreOverlay(file), IRouterConfigSource
{
    // Set before the base class follows the file (field initializers run first).
    private readonly IRouterConfigSource _file = file;
    private readonly ICatalogStore _store = store;
    private readonly Lock _gate = new();
    private IReadOnlyList<ProviderConfig> _storedProviders = [];
    private IReadOnlyList<ModelConfig> _storedModels = [];
    private volatile RouterConfig _current = file.Current;

    public RouterConfig Current => _current;

    /// <summary>The snapshot of router.toml alone: what the file defines (and so what REST may not change).</summary>
    public RouterConfig File => _file.Current;

    public event Action<RouterConfig>? Changed;

    protected override ValueTask<long> RevisionAsync(CancellationToken cancellationToken) => _store.RevisionAsync(cancellationToken);

    protected override void OnFileChanged(RouterConfig snapshot) => Publish();

    protected override async ValueTask ReadStoreAsync(List<string> problems, CancellationToken cancellationToken)
    {
        var providers = Parse(await _store.ListProvidersAsync(cancellationToken).ConfigureAwait(false), CatalogDefinitions.ParseProvider, "provider", problems);
        var models = Parse(await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false), CatalogDefinitions.ParseModel, "model", problems);
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
