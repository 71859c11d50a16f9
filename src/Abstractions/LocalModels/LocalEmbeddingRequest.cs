namespace LlmRouter.Abstractions.LocalModels;

/// <summary>
/// An embeddings call for a local model: its inputs as texts or as token arrays (OpenAI's two forms of
/// <c>input</c>; exactly one is set), and the <c>dimensions</c> asked for, if any.
/// </summary>
[GenerateSerializer, Immutable, Alias("local-embedding-request")]
public sealed record LocalEmbeddingRequest
{
    [Id(0)] public string[]? Texts { get; init; }
    [Id(1)] public int[][]? Tokens { get; init; }

    /// <summary>The vector length the caller wants; a local model answers only with its own.</summary>
    [Id(2)] public int? Dimensions { get; init; }
}
