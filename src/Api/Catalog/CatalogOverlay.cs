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
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lock _gate = new();
    private IReadOnlyList<ProviderConfig> _storedProviders = [];
    private IReadOnlyList<ModelConfig> _storedModels = [];
    private long _revision = -1;
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
    public async ValueTask<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var revision = await _store.RevisionAsync(cancellationToken).ConfigureAwait(false);
            if (revision == _revision)
            {
                return [];
            }
            var problems = new List<string>();
            var providers = Parse(await _store.ListProvidersAsync(cancellationToken).ConfigureAwait(false), CatalogDefinitions.ParseProvider, "provider", problems);
            var models = Parse(await _store.ListModelsAsync(cancellationToken).ConfigureAwait(false), CatalogDefinitions.ParseModel, "model", problems);
            lock (_gate)
            {
                _storedProviders = providers;
                _storedModels = models;
                _revision = revision;
            }
            Publish();
            return problems;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose()
    {
        _file.Changed -= OnFileChanged;
        _refresh.Dispose();
    }

    private void OnFileChanged(RouterConfig snapshot) => Publish();

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

    private static List<T> Parse<T>(IReadOnlyList<CatalogDocument> documents, Func<JsonObject, T> parse, string kind, List<string> problems)
    {
        var parsed = new List<T>(documents.Count);
        foreach (var document in documents)
        {
            try
            {
                parsed.Add(parse(JsonNode.Parse(document.Json)!.AsObject()));
            }
            catch (Exception exception) when (exception is DefinitionException or JsonException or InvalidOperationException)
            {
                problems.Add($"stored {kind} '{document.Key}' is left out: {exception.Message}");
            }
        }
        return parsed;
    }
}
