namespace LlmRouter.Abstractions.Upstream;

/// <summary>
/// One event of a streamed call: an OpenAI chat-completion chunk (UTF-8 JSON, no SSE framing),
/// or the error that ended the stream.
/// </summary>
public sealed record ChatStreamChunk
{
    public ReadOnlyMemory<byte> Json { get; init; }

    /// <summary>Set on the chunk that reports usage.</summary>
    public TokenUsage? Usage { get; init; }

    /// <summary>True for the usage-only chunk (no choices) that <c>stream_options.include_usage</c> adds.</summary>
    public bool IsUsageOnly { get; init; }

    /// <summary>Text this chunk adds to the answer (for the invocation log).</summary>
    public string? ContentDelta { get; init; }

    public string? FinishReason { get; init; }

    public UpstreamError? Error { get; init; }

    /// <summary>The upstream's own event, set only when the request asked for its native API (see <see cref="NativeRequest"/>).</summary>
    public NativeEvent? Native { get; init; }
}
