using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Catalog;

namespace LlmRouter.Grains.Catalog;

/// <summary>
/// Router.toml's definitions with those kept in a store as JSON documents added (providers and models, routing rules):
/// what is in force is built anew when the file reloads or the store's part is reread. The store is reread one
/// reread at a time, and only when its revision moved since the last complete one; a stored document that does not
/// parse is left out, with a line saying why for the caller to report.
/// </summary>
public abstract class StoreOverlay : IDisposable
{
    private readonly IRouterConfigSource _file;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private long _revision = -1;

    /// <summary>Follows <paramref name="file"/>: a derived class sets what its rebuilds read before this runs (field initializers).</summary>
    protected StoreOverlay(IRouterConfigSource file)
    {
        _file = file;
        file.Changed += OnFileChanged;
    }

    /// <summary>
    /// Rereads the store when it changed since the last read and rebuilds what is in force. Returns the stored
    /// definitions that could not be read (they are left out), for the caller to report.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var revision = await RevisionAsync(cancellationToken).ConfigureAwait(false);
            if (revision == _revision)
            {
                return [];
            }
            var problems = new List<string>();
            await ReadStoreAsync(problems, cancellationToken).ConfigureAwait(false);
            _revision = revision;
            return problems;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The store's revision, which moves with every change to what it keeps.</summary>
    protected abstract ValueTask<long> RevisionAsync(CancellationToken cancellationToken);

    /// <summary>Reads the stored definitions (see <see cref="Parse"/>), keeps them and rebuilds what is in force.</summary>
    protected abstract ValueTask ReadStoreAsync(List<string> problems, CancellationToken cancellationToken);

    /// <summary>Rebuilds what is in force from router.toml's new snapshot and the stored definitions last read.</summary>
    protected abstract void OnFileChanged(RouterConfig snapshot);

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Changed -= OnFileChanged;
            _refresh.Dispose();
        }
    }

    /// <summary>The documents that <paramref name="parse"/> accepts; a line in <paramref name="problems"/> for each other one.</summary>
    protected static List<T> Parse<T>(IReadOnlyList<CatalogDocument> documents, Func<JsonObject, T> parse, string kind, List<string> problems)
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
