namespace LlmRouter.LocalModels.Engine;

/// <summary>What one generation may produce: at most <see cref="MaxTokens"/> tokens, cut at the first stop sequence.</summary>
public sealed record GenerationOptions
{
    public required int MaxTokens { get; init; }
    public SamplingOptions Sampling { get; init; } = new();
    public IReadOnlyList<string> Stop { get; init; } = [];
}
