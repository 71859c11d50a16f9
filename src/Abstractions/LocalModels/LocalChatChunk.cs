using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Abstractions.LocalModels;

/// <summary>One <see cref="ChatStreamChunk"/> of a local model's stream as it crosses the grain's boundary.</summary>
[GenerateSerializer, Immutable, Alias("local-chat-chunk")]
public sealed record LocalChatChunk
{
    [Id(0)] public byte[] Json { get; init; } = [];
    [Id(1)] public TokenUsage? Usage { get; init; }
    [Id(2)] public bool IsUsageOnly { get; init; }
    [Id(3)] public string? ContentDelta { get; init; }
    [Id(4)] public string? FinishReason { get; init; }
    [Id(5)] public LocalModelError? Error { get; init; }

    public static LocalChatChunk From(ChatStreamChunk chunk) => new()
    {
        Json = chunk.Json.ToArray(),
        Usage = chunk.Usage,
        IsUsageOnly = chunk.IsUsageOnly,
        ContentDelta = chunk.ContentDelta,
        FinishReason = chunk.FinishReason,
        Error = chunk.Error is { } error ? LocalModelError.From(error) : null,
    };

    public static LocalChatChunk Failed(UpstreamError error) => new() { Error = LocalModelError.From(error) };

    public ChatStreamChunk ToChunk() => new()
    {
        Json = Json,
        Usage = Usage,
        IsUsageOnly = IsUsageOnly,
        ContentDelta = ContentDelta,
        FinishReason = FinishReason,
        Error = Error?.ToUpstream(),
    };
}
