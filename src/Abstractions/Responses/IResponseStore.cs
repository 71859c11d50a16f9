namespace LlmRouter.Abstractions.Responses;

/// <summary>Responses the router answered and kept, shared by every node; pruned with the invocation log's retention.</summary>
public interface IResponseStore
{
    ValueTask SaveAsync(StoredResponse response, CancellationToken cancellationToken = default);

    /// <summary>The response with this id, or null when there is none (never stored, or pruned).</summary>
    ValueTask<StoredResponse?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes the response with this id; false when there was none.</summary>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to <paramref name="limit"/> responses created before <paramref name="cutoff"/>, oldest first; returns how many.</summary>
    ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default);
}
