namespace LlmRouter.Api.Errors;

/// <summary>
/// An error a client is told about, in OpenAI's terms (status, type, message, param, code). When
/// <see cref="PassthroughBody"/> is set it is sent verbatim instead (an upstream's own error object).
/// </summary>
public sealed record ApiError(int Status, string Type, string Message, string? Param = null, string? Code = null)
{
    public string? PassthroughBody { get; init; }
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The upstream failure this error reports, if any (another client API may pass its body on).</summary>
    public UpstreamError? Upstream { get; init; }
}
