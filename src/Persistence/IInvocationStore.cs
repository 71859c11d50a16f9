using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Persistence;

/// <summary>The store side of the invocation log: batched writes and parameterised reads.</summary>
public interface IInvocationStore
{
    ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default);

    ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default);

    ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default);
}
