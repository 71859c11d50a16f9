namespace LlmRouter.Abstractions.Invocations;

/// <summary>
/// Told once about every finished invocation (after the log has it queued): metrics, usage settlement and
/// routing statistics hook in here instead of into the request path.
/// </summary>
public interface IInvocationListener
{
    /// <summary>
    /// Takes the call in. The answer completes once what the listener keeps of it is durable (for usage settlement:
    /// in the store, or at once while the store refuses writes); the request path waits for it (a bounded time)
    /// before the client sees the end of its answer. Listeners that keep nothing durable answer a completed task.
    /// </summary>
    Task OnInvocationCompleted(InvocationRecord record);
}
