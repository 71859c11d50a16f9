namespace LlmRouter.Abstractions.Upstream;

/// <summary>A failed upstream call, as a value.</summary>
public sealed record UpstreamError(UpstreamErrorKind Kind, string Message)
{
    /// <summary>The upstream's HTTP status, when it answered.</summary>
    public int? Status { get; init; }

    /// <summary>The upstream's error body, verbatim.</summary>
    public string? RawBody { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A machine-readable reason the client's error carries as its <c>code</c>, when the kind alone is too coarse.</summary>
    public string? Code { get; init; }

    /// <summary>The wire API <see cref="RawBody"/> is written in (a <see cref="WireApis"/> name; null means OpenAI's).</summary>
    public string? Api { get; init; }
}
