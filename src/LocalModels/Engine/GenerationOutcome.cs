namespace LlmRouter.LocalModels.Engine;

/// <summary>How a generation ended, with its token counts.</summary>
public sealed record GenerationOutcome
{
    public required GenerationStatus Status { get; init; }

    /// <summary>OpenAI's finish reason: <c>stop</c> (end of turn or a stop sequence) or <c>length</c>.</summary>
    public string FinishReason { get; init; } = "stop";

    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }

    /// <summary>Prompt tokens whose keys and values were already in memory from an earlier request.</summary>
    public int ReusedPromptTokens { get; init; }

    public string? Error { get; init; }
}
