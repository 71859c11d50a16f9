namespace LlmRouter.Providers.Resilience;

/// <summary>One try at an upstream call, whichever kind (whole answer or stream), as the resilience pipeline sees it.</summary>
public sealed record UpstreamAttempt(UpstreamError? Error)
{
    public UpstreamChatResult? Result { get; init; }
    public UpstreamStream? Stream { get; init; }

    public static UpstreamAttempt Of(UpstreamChatResult result) => new(result.Error) { Result = result };

    public static UpstreamAttempt Of(UpstreamStream stream) => new(stream.Error) { Stream = stream };

    /// <summary>
    /// Worth another try: the upstream could not be reached, or said 429/5xx, and asked for no longer a wait
    /// than <paramref name="maxRetryAfter"/>. Timeouts are not retried: a slow model stays slow and each try costs.
    /// </summary>
    public static bool IsRetryable(UpstreamError error, TimeSpan maxRetryAfter) =>
        (error.Kind == UpstreamErrorKind.Connect || (error.Kind == UpstreamErrorKind.HttpStatus && error.Status is 429 or >= 500))
        && (error.RetryAfter is null || error.RetryAfter <= maxRetryAfter);

    /// <summary>Counts against the provider's circuit: it is unreachable, slow, broken or failing on its side.</summary>
    public static bool IsProviderFailure(UpstreamError error) => error.Kind switch
    {
        UpstreamErrorKind.Connect or UpstreamErrorKind.Timeout or UpstreamErrorKind.Protocol => true,
        UpstreamErrorKind.HttpStatus => error.Status >= 500,
        _ => false,
    };
}
