namespace LlmRouter.Abstractions.Invocations;

/// <summary>Appends invocations off the request path and reads them back.</summary>
public interface IInvocationLog
{
    /// <summary>Queues a record for writing; never blocks on the store.</summary>
    void Append(InvocationRecord record);

    /// <summary>Waits until every record appended so far is in the store.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default);

    ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default);
}
