namespace LlmRouter.Abstractions.LocalModels;

/// <summary>A chat call for a local model: the canonical body (OpenAI chat completions) as JSON text.</summary>
[GenerateSerializer, Immutable, Alias("local-chat-request")]
public sealed record LocalChatRequest
{
    [Id(0)] public required string Body { get; init; }
}
