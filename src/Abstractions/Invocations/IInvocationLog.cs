namespace LlmRouter.Abstractions.Invocations;

/// <summary>Appends invocations off the request path and reads them back.</summary>
public interface IInvocationLog
{
    /// <summary>
    /// Queues a record for writing without blocking on the store. The answer completes once the record is in the
    /// store, or at once while the store is refusing writes (the record stays queued and is retried; one the store
    /// refuses for good is reported in the node's log); it never faults. The request path
    /// awaits it before the client sees the end of its answer, so a node killed at any moment loses no completed call.
    /// </summary>
    Task Append(InvocationRecord record);

    /// <summary>Waits until every record appended so far is in the store.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default);

    ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default);
}
