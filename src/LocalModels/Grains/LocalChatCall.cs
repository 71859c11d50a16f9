namespace LlmRouter.LocalModels.Grains;

/// <summary>A chat-completions body read for a local model: the conversation and how to answer it.</summary>
internal sealed record LocalChatCall(
    IReadOnlyList<ChatTurn> Turns,
    int? MaxTokens,
    SamplingOptions Sampling,
    IReadOnlyList<string> Stop,
    bool IncludeUsage);
