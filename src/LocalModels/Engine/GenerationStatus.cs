namespace LlmRouter.LocalModels.Engine;

/// <summary>Whether a generation ran to its end, was cancelled, or failed inside llama.cpp.</summary>
public enum GenerationStatus
{
    Completed,
    Cancelled,
    Failed,
}
