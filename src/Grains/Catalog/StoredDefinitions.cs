using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Catalog;

namespace LlmRouter.Grains.Catalog;

/// <summary>
/// The rereading of definitions kept in a store as JSON documents (providers and models, routing rules): one reread
/// at a time, and only when the store's revision moved since the last complete one; a stored document that does not
/// parse is left out, with a line saying why for the caller to report.
/// </summary>
public sealed class StoredDefinitions : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private long _revision = -1;

    /// <summary>
    /// Runs <paramref name="readAsync"/> (which reads the documents, keeps what parses and publishes it) when
    /// <paramref name="revisionAsync"/> moved; returns the problems it collected, none when nothing moved.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> RefreshAsync(
        Func<CancellationToken, ValueTask<long>> revisionAsync, Func<List<string>, CancellationToken, ValueTask> readAsync, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var revision = await revisionAsync(cancellationToken).ConfigureAwait(false);
            if (revision == _revision)
            {
                return [];
            }
            var problems = new List<string>();
            await readAsync(problems, cancellationToken).ConfigureAwait(false);
            _revision = revision;
            return problems;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>The documents that <paramref name="parse"/> accepts; a line in <paramref name="problems"/> for each other one.</summary>
    public static List<T> Parse<T>(IReadOnlyList<CatalogDocument> documents, Func<JsonObject, T> parse, string kind, List<string> problems)
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

    public void Dispose() => _refresh.Dispose();
}
