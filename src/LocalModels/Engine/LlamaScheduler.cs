namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// Continuous batching over one llama.cpp context: every request is a sequence of the context, and each
/// <see cref="Step"/> evaluates one token of every generating sequence plus prompt tokens of joining ones in a
/// single <c>llama_decode</c> (LLamaSharp lets one decode run at a time per process, so concurrency has to come
/// from batching). New requests join at the next step; finished or cancelled ones leave and free their cells.
/// The sequences share the context's cells (a unified KV memory of <see cref="ContextSize"/> tokens). Not
/// thread-safe: one thread adds and steps; cancellation is seen between steps, and within a decode through
/// <see cref="DecodeAbort"/> when the cancelled requests hold at least half of it (a long prompt's piece).
/// </summary>
public sealed class LlamaScheduler : IBatchingEngine
{
    private readonly LlamaModel _model;
    private readonly SafeLLamaContextHandle _context;
    private readonly LLamaBatch _batch = new();
    private readonly BatchPlan _plan = new();
    private readonly SequenceSlots _slots;
    private readonly DecodeAbort _abort;
    private readonly Queue<GenerationSequence> _waiting = new();
    private readonly List<GenerationSequence> _active = [];

    private LlamaScheduler(LlamaModel model, SafeLLamaContextHandle context)
    {
        _model = model;
        _context = context;
        ContextSize = (int)context.ContextSize;
        BatchSize = (int)context.BatchSize;
        MaxSequences = (int)context.MaxSeq;
        _slots = new SequenceSlots(context, MaxSequences);
        _abort = new DecodeAbort(context);
    }

    public int ContextSize { get; }
    public int BatchSize { get; }

    /// <summary>How many requests can be in the batch at once; more wait for a place.</summary>
    public int MaxSequences { get; }

    /// <summary>Requests in the batch.</summary>
    public int Active => _active.Count;

    /// <summary>Requests added but not yet in the batch.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>llama.cpp's abort callback on this context.</summary>
    internal DecodeAbort Abort => _abort;

    public bool IsIdle => _active.Count == 0 && _waiting.Count == 0;

    /// <summary>Cells holding keys and values: those of the sequences in the batch and of parked ones.</summary>
    public int UsedCells => _active.Sum(s => s.Evaluated.Count) + _slots.ParkedCells;

    /// <summary>
    /// A context of <paramref name="contextSize"/> tokens shared by up to <paramref name="sequences"/> requests, evaluated
    /// with <paramref name="threads"/> threads; <paramref name="flashAttention"/> null is <see cref="LlamaModel.FlashAttention"/>'s choice.
    /// </summary>
    public static LlamaScheduler Create(LlamaModel model, int contextSize, int threads, int sequences, int batchSize = 512, bool? flashAttention = null) =>
        new(model, LlamaContexts.Create(model, contextSize, threads, sequences, batchSize, flashAttention: flashAttention));

    /// <summary>
    /// Adds a request; it joins the batch at the next step with room. <paramref name="onText"/> and
    /// <paramref name="onEnded"/> run on the stepping thread.
    /// </summary>
    public void Add(int[] prompt, GenerationOptions options, Action<string> onText, Action<GenerationOutcome> onEnded, CancellationToken cancellationToken) =>
        _waiting.Enqueue(new GenerationSequence(_model, prompt, options, onText, onEnded, cancellationToken));

    /// <summary>Admits waiting requests, drops cancelled ones, and evaluates one batch; does nothing when idle.</summary>
    public void Step()
    {
        Admit();
        DropCancelled();
        if (_active.Count == 0)
        {
            return;
        }
        _plan.Fill(_batch, _active, ContextSize - UsedCells, BatchSize, _slots);
        foreach (var full in _plan.OutOfCells)
        {
            Leave(full, s => s.Complete("length"));
        }
        if (_batch.TokenCount == 0)
        {
            // Every sequence left is still feeding a prompt that finds no free cells (and none left this step to
            // free some): the youngest gives way.
            if (_active.Count > 0 && _plan.OutOfCells.Count == 0)
            {
                Leave(_active[^1], s => s.End(GenerationStatus.Failed, "the prompt does not fit in the model's context"));
            }
            return;
        }
        var result = _abort.Decode(_batch, _plan.Members);
        if (result == DecodeResult.Ok)
        {
            Advance(_plan.Members);
        }
        else if (result == DecodeResult.ComputeAborted)
        {
            Aborted(_plan.Members);
        }
        else if (result == DecodeResult.NoKvSlot)
        {
            // The memory is as it was: the youngest sequence of the batch leaves; the others retry at the next step.
            var youngest = _plan.Members[^1];
            Leave(youngest, s =>
            {
                if (s.InPrompt)
                {
                    s.End(GenerationStatus.Failed, "the prompt does not fit in the model's context");
                }
                else
                {
                    s.Complete("length");
                }
            });
        }
        else
        {
            // Part of the batch may be in memory now: every sequence in it fails and frees its cells.
            foreach (var member in _plan.Members)
            {
                Leave(member, s => s.End(GenerationStatus.Failed, $"llama.cpp failed to evaluate the batch ({result})"));
            }
        }
    }

    /// <summary>Ends every request (shutting down) as cancelled.</summary>
    public void CancelAll()
    {
        Admit(force: true);
        foreach (var sequence in _active.ToArray())
        {
            Leave(sequence, s => s.End(GenerationStatus.Cancelled));
        }
    }

    private void Admit(bool force = false)
    {
        while (_waiting.Count > 0 && (_active.Count < MaxSequences || force))
        {
            var next = _waiting.Peek();
            if (next.CancellationToken.IsCancellationRequested || force)
            {
                _waiting.Dequeue();
                next.Finish(s => s.End(GenerationStatus.Cancelled));
                continue;
            }
            if (!_slots.TryTake(next.Prompt, out var id, out var cached, out var reused))
            {
                return;
            }
            _waiting.Dequeue();
            next.Join(id, cached, reused);
            _active.Add(next);
        }
    }

    private void DropCancelled()
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            if (_active[i].CancellationToken.IsCancellationRequested)
            {
                Leave(_active[i], s => s.End(GenerationStatus.Cancelled));
            }
        }
    }

    /// <summary>
    /// The decode stopped because cancelled requests held half of it or more: llama.cpp removed the cells of the
    /// piece it was evaluating. The cancelled leave; the others keep what they had and redo their part next step.
    /// </summary>
    private void Aborted(IReadOnlyList<GenerationSequence> members)
    {
        foreach (var member in members)
        {
            if (member.CancellationToken.IsCancellationRequested)
            {
                Leave(member, s => s.End(GenerationStatus.Cancelled));
            }
            else
            {
                _context.MemorySequenceRemove(member.Id, member.Evaluated.Count, -1);
            }
        }
    }

    private void Advance(IReadOnlyList<GenerationSequence> members)
    {
        foreach (var sequence in members)
        {
            var fed = sequence.Pending is { } token ? [token] : sequence.Prompt.AsSpan(sequence.Evaluated.Count, sequence.Queued);
            sequence.Committed(fed);
            if (sequence.OutputIndex < 0)
            {
                continue;
            }
            var ended = false;
            try
            {
                ended = sequence.Sample(_context);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A failing text callback (a client gone, a full stream) ends its own request only.
                Leave(sequence, s => s.End(s.CancellationToken.IsCancellationRequested ? GenerationStatus.Cancelled : GenerationStatus.Failed, exception.Message));
                continue;
            }
            if (ended)
            {
                _active.Remove(sequence);
                _slots.Park(sequence.Id, sequence.Evaluated);
                sequence.Dispose();
            }
        }
    }

    /// <summary>Takes a sequence out of the batch, frees its cells and id, and ends it with <paramref name="end"/>.</summary>
    private void Leave(GenerationSequence sequence, Action<GenerationSequence> end)
    {
        if (_active.Remove(sequence))
        {
            _slots.Free(sequence.Id);
        }
        sequence.Finish(end);
    }

    public void Dispose()
    {
        CancelAll();
        _context.Dispose();
        _abort.Dispose();
    }
}
