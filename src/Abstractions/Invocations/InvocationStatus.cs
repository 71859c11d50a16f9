namespace LlmRouter.Abstractions.Invocations;

/// <summary>How an invocation ended.</summary>
public enum InvocationStatus
{
    Success,
    Error,

    /// <summary>The client went away before the answer was complete.</summary>
    ClientClosed,
}
