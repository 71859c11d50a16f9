namespace LlmRouter.LocalModels.Engine;

/// <summary>How an embeddings call ended: a unit-length vector per input, in input order, and the tokens evaluated.</summary>
public sealed record EmbeddingOutcome
{
    public required GenerationStatus Status { get; init; }
    public IReadOnlyList<float[]> Vectors { get; init; } = [];
    public int PromptTokens { get; init; }
    public string? Error { get; init; }
}
