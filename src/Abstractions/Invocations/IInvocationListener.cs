namespace LlmRouter.Abstractions.Invocations;

/// <summary>
/// Told once about every finished invocation (after the log has it queued): metrics, usage settlement and
/// routing statistics hook in here instead of into the request path.
/// </summary>
public interface IInvocationListener
{
    void OnInvocationCompleted(InvocationRecord record);
}
