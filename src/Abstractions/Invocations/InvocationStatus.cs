namespace LlmRouter.Abstractions.Invocations;

/// <summary>How an invocation ended.</summary>
public enum InvocationStatus
{
    Success,
    Error,

    /// <summary>The client went away before the answer was complete.</summary>
    ClientClosed,

    /// <summary>The router answered the call itself with a refusal (a limit, the key's policy, a bad request); nothing went upstream.</summary>
    Rejected,
}
