namespace LlmRouter.LocalModels.Gguf;

/// <summary>The size of a random-weight llama model written by <see cref="TinyLlamaGguf"/>.</summary>
/// <param name="WeightType">How the matrices are stored (norms stay 32-bit floats, as in real files).</param>
public sealed record LlamaShape(int EmbeddingLength, int BlockCount, int HeadCount, int HeadCountKv, int FeedForwardLength, GgufTensorType WeightType)
{
    /// <summary>The tests' model: about 450 KB, its weights stay in the processor's cache.</summary>
    public static LlamaShape Tiny { get; } = new(
        TinyLlamaGguf.EmbeddingLength, TinyLlamaGguf.BlockCount, TinyLlamaGguf.HeadCount, TinyLlamaGguf.HeadCountKv, TinyLlamaGguf.FeedForwardLength, GgufTensorType.F32);

    /// <summary>
    /// About 90 million weights in Q8_0 (about 95 MB), far more than a processor cache holds: every decode step
    /// streams all of them from memory, as with real models, so a batch of sequences shares that cost.
    /// </summary>
    public static LlamaShape Medium { get; } = new(1024, 8, 16, 4, 2816, GgufTensorType.Q8_0);

    /// <summary>
    /// <see cref="Medium"/> with 32-bit float weights (about 360 MB): a decode step reads four bytes per multiplication,
    /// so on one thread it is bound by memory even where the Q8_0 kernels are bound by arithmetic.
    /// </summary>
    public static LlamaShape MediumF32 { get; } = Medium with { WeightType = GgufTensorType.F32 };

    /// <summary>The shape named <paramref name="name"/> (<c>tiny</c>, <c>medium</c> or <c>medium-f32</c>), or null.</summary>
    public static LlamaShape? Named(string name) => name switch
    {
        "tiny" => Tiny,
        "medium" => Medium,
        "medium-f32" => MediumF32,
        _ => null,
    };
}
