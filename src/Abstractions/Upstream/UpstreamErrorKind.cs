namespace LlmRouter.Abstractions.Upstream;

/// <summary>Why an upstream call failed.</summary>
[GenerateSerializer, Alias("upstream-error-kind")]
public enum UpstreamErrorKind
{
    /// <summary>No connection could be made (DNS, refused, reset before a response).</summary>
    Connect,

    /// <summary>The upstream did not answer (or went quiet mid-stream) within the timeout.</summary>
    Timeout,

    /// <summary>The upstream answered with a non-success HTTP status.</summary>
    HttpStatus,

    /// <summary>The upstream answered something that is not its protocol.</summary>
    Protocol,

    /// <summary>The router's own client went away, so the call was cancelled.</summary>
    Cancelled,

    /// <summary>
    /// Nothing can serve the call right now: the provider's circuit is open after repeated failures, no live node
    /// hosts the local model, or it failed to load. The call was not attempted.
    /// </summary>
    Unavailable,
}
