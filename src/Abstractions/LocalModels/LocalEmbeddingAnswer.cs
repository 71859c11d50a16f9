using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Abstractions.LocalModels;

/// <summary>
/// The answer to a local embeddings call: one unit-length vector per input, in input order, and the input tokens
/// (<see cref="TokenUsage.PromptTokens"/>; no completion tokens), or the error.
/// </summary>
[GenerateSerializer, Immutable, Alias("local-embedding-answer")]
public sealed record LocalEmbeddingAnswer
{
    [Id(0)] public float[][] Vectors { get; init; } = [];
    [Id(1)] public TokenUsage? Usage { get; init; }
    [Id(2)] public LocalModelError? Error { get; init; }

    public static LocalEmbeddingAnswer Failed(UpstreamError error) => new() { Error = LocalModelError.From(error) };
}
