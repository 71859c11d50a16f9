namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// Computes embeddings on one llama.cpp context made for them: each <see cref="Step"/> decodes as many whole inputs as
/// fit in the batch (each its own sequence, from position 0), oldest call first, so small calls and the inputs of one
/// large call share decodes. llama.cpp pools each input's token vectors into one (mean, CLS or last token), which is
/// scaled to unit length as OpenAI's embeddings are. The batch holds the whole context, so an input as long as the
/// context is pooled in one piece. Not thread-safe: one thread adds and steps; cancellation is seen between steps.
/// </summary>
public sealed class LlamaEmbedder : IBatchingEngine
{
    private readonly SafeLLamaContextHandle _context;
    private readonly LLamaBatch _batch = new();
    private readonly List<(EmbeddingCall Call, int Input, LLamaSeqId Sequence)> _members = [];
    private readonly List<EmbeddingCall> _calls = [];

    private LlamaEmbedder(SafeLLamaContextHandle context)
    {
        _context = context;
        // llama.cpp rounds a small context up, never the batch: an input must fit in one batch, and a batch of more
        // tokens (outputs, here) than it was made for stops the process.
        ContextSize = (int)Math.Min(context.ContextSize, Math.Min(context.BatchSize, context.UBatchSize));
        MaxSequences = (int)context.MaxSeq;
        Dimensions = context.EmbeddingSize;
        Pooling = context.PoolingType;
    }

    /// <summary>The longest input, in tokens.</summary>
    public int ContextSize { get; }

    /// <summary>How many inputs one decode holds at most.</summary>
    public int MaxSequences { get; }

    /// <summary>The length of every vector.</summary>
    public int Dimensions { get; }

    public LLamaPoolingType Pooling { get; }

    public bool IsIdle => _calls.Count == 0;

    /// <summary>
    /// A context of <paramref name="contextSize"/> tokens evaluated with <paramref name="threads"/> threads, pooling with
    /// <paramref name="pooling"/> (<c>mean</c>, <c>cls</c> or <c>last</c>); null takes the pooling the GGUF names, else mean.
    /// </summary>
    public static LlamaEmbedder Create(LlamaModel model, int contextSize, int threads, string? pooling = null)
    {
        var sequences = (int)NativeApi.llama_max_parallel_sequences();
        var context = LlamaContexts.Create(model, contextSize, threads, sequences, contextSize, PoolingType(pooling));
        if (context.PoolingType is LLamaPoolingType.None or LLamaPoolingType.Rank or LLamaPoolingType.Unspecified)
        {
            // The file names no pooling that yields one vector per input.
            context.Dispose();
            context = LlamaContexts.Create(model, contextSize, threads, sequences, contextSize, LLamaPoolingType.Mean);
        }
        return new LlamaEmbedder(context);
    }

    /// <summary>
    /// Adds a call whose inputs are token arrays, none empty or longer than <see cref="ContextSize"/>; its inputs join
    /// the next steps with room. <paramref name="onEnded"/> runs on the stepping thread.
    /// </summary>
    public void Add(IReadOnlyList<int[]> inputs, Action<EmbeddingOutcome> onEnded, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0 || inputs.Any(i => i.Length == 0 || i.Length > ContextSize))
        {
            throw new ArgumentException($"every input needs 1 to {ContextSize} tokens", nameof(inputs));
        }
        _calls.Add(new EmbeddingCall(inputs, onEnded, cancellationToken));
    }

    /// <summary>Drops cancelled calls and decodes one batch of whole inputs; does nothing when idle.</summary>
    public void Step()
    {
        for (var i = _calls.Count - 1; i >= 0; i--)
        {
            if (_calls[i].CancellationToken.IsCancellationRequested)
            {
                End(_calls[i], GenerationStatus.Cancelled);
            }
        }
        if (!Fill())
        {
            return;
        }
        var result = _context.Decode(_batch);
        try
        {
            if (result != DecodeResult.Ok)
            {
                foreach (var call in _members.Select(m => m.Call).Distinct().ToArray())
                {
                    End(call, GenerationStatus.Failed, $"llama.cpp failed to evaluate the batch ({result})");
                }
                return;
            }
            foreach (var (call, input, sequence) in _members)
            {
                if (call.Store(input, UnitVector(_context.GetEmbeddingsSeq(sequence))))
                {
                    End(call, GenerationStatus.Completed);
                }
            }
        }
        finally
        {
            // Every input starts from an empty memory: its cells are of no use to the next one.
            _context.MemoryClear();
        }
    }

    /// <summary>Ends every call (shutting down) as cancelled.</summary>
    public void CancelAll()
    {
        foreach (var call in _calls.ToArray())
        {
            End(call, GenerationStatus.Cancelled);
        }
    }

    /// <summary>Fills the batch with whole inputs, oldest call first; false when there is nothing to decode.</summary>
    private bool Fill()
    {
        _batch.Clear();
        _members.Clear();
        foreach (var call in _calls)
        {
            while (!call.AllQueued && _members.Count < MaxSequences)
            {
                var tokens = call.Inputs[call.Next];
                if (_batch.TokenCount + tokens.Length > ContextSize)
                {
                    return true;
                }
                var sequence = (LLamaSeqId)_members.Count;
                for (var position = 0; position < tokens.Length; position++)
                {
                    _batch.Add(tokens[position], position, sequence, true);
                }
                _members.Add((call, call.Next, sequence));
                call.Next++;
            }
        }
        return _members.Count > 0;
    }

    private void End(EmbeddingCall call, GenerationStatus status, string? error = null)
    {
        _calls.Remove(call);
        call.End(status, error);
    }

    /// <summary>The vector scaled to length 1 (a zero vector stays zero).</summary>
    internal static float[] UnitVector(ReadOnlySpan<float> vector)
    {
        var squares = 0.0;
        foreach (var value in vector)
        {
            squares += (double)value * value;
        }
        var scale = squares > 0 ? 1 / Math.Sqrt(squares) : 0;
        var unit = new float[vector.Length];
        for (var i = 0; i < unit.Length; i++)
        {
            unit[i] = (float)(vector[i] * scale);
        }
        return unit;
    }

    private static LLamaPoolingType PoolingType(string? pooling) => pooling switch
    {
        null => LLamaPoolingType.Unspecified,
        "mean" => LLamaPoolingType.Mean,
        "cls" => LLamaPoolingType.CLS,
        "last" => LLamaPoolingType.Last,
        _ => throw new LocalModelException($"unknown pooling '{pooling}' (mean, cls or last)"),
    };

    public void Dispose()
    {
        CancelAll();
        _context.Dispose();
    }
}
