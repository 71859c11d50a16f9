namespace LlmRouter.Abstractions.Upstream;

/// <summary>The outcome of a non-streamed call: an OpenAI-format completion, or an error.</summary>
public sealed record UpstreamChatResult
{
    /// <summary>The completion as OpenAI chat-completion JSON (UTF-8).</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    public TokenUsage? Usage { get; init; }
    public string? FinishReason { get; init; }

    /// <summary>The upstream's own response when it differs from <see cref="Body"/> (translated formats).</summary>
    public string? RawUpstream { get; init; }

    public UpstreamError? Error { get; init; }

    /// <summary>The wire API <see cref="RawUpstream"/> is written in (a <see cref="WireApis"/> name).</summary>
    public string? RawUpstreamApi { get; init; }

    /// <summary>How many upstream calls were made (retries included).</summary>
    public int Attempts { get; init; } = 1;

    public static UpstreamChatResult Failed(UpstreamError error) => new() { Error = error };
}
