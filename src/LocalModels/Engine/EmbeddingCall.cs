namespace LlmRouter.LocalModels.Engine;

/// <summary>One embeddings call inside a <see cref="LlamaEmbedder"/>: its inputs, the vectors computed so far, and who to tell at the end.</summary>
internal sealed class EmbeddingCall(IReadOnlyList<int[]> inputs, Action<EmbeddingOutcome> onEnded, CancellationToken cancellationToken)
{
    private readonly float[][] _vectors = new float[inputs.Count][];
    private int _done;

    public IReadOnlyList<int[]> Inputs { get; } = inputs;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The next input not yet put into a batch.</summary>
    public int Next { get; set; }

    public bool AllQueued => Next == Inputs.Count;

    /// <summary>Stores input <paramref name="index"/>'s vector; true when it was the last one missing.</summary>
    public bool Store(int index, float[] vector)
    {
        _vectors[index] = vector;
        return ++_done == Inputs.Count;
    }

    public void End(GenerationStatus status, string? error = null) => onEnded(new EmbeddingOutcome
    {
        Status = status,
        Vectors = status == GenerationStatus.Completed ? _vectors : [],
        PromptTokens = Inputs.Sum(i => i.Length),
        Error = error,
    });
}
