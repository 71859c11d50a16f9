namespace LlmRouter.Persistence;

/// <summary>The store side of the invocation log: batched writes and parameterised reads.</summary>
public interface IInvocationStore
{
    ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default);

    ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default);

    ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Deletes at most <paramref name="limit"/> of the oldest invocations created before <paramref name="cutoff"/>; returns how many.</summary>
    ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default);
}
