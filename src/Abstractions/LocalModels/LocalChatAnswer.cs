using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Abstractions.LocalModels;

/// <summary>The answer to a non-streamed local call: the OpenAI completion and its usage, or the error.</summary>
[GenerateSerializer, Immutable, Alias("local-chat-answer")]
public sealed record LocalChatAnswer
{
    [Id(0)] public byte[] Body { get; init; } = [];
    [Id(1)] public TokenUsage? Usage { get; init; }
    [Id(2)] public string? FinishReason { get; init; }
    [Id(3)] public LocalModelError? Error { get; init; }

    public static LocalChatAnswer From(UpstreamChatResult result) => new()
    {
        Body = result.Body.ToArray(),
        Usage = result.Usage,
        FinishReason = result.FinishReason,
        Error = result.Error is { } error ? LocalModelError.From(error) : null,
    };

    public UpstreamChatResult ToResult() => Error is { } error
        ? UpstreamChatResult.Failed(error.ToUpstream())
        : new UpstreamChatResult { Body = Body, Usage = Usage, FinishReason = FinishReason };
}
