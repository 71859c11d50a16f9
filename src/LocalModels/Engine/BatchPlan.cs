namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// What one decode step evaluates: first the pending token of every generating sequence (each asks for logits),
/// then prompt tokens of joining sequences, oldest first, up to the batch size and the free cells (parked
/// sequences are evicted to make room). A generating sequence that finds no free cell has filled the context.
/// One plan is filled again at every step of its scheduler, so stepping allocates nothing here.
/// </summary>
internal sealed class BatchPlan
{
    /// <summary>Sequences with tokens in the batch, in batch order.</summary>
    public List<GenerationSequence> Members { get; } = [];

    /// <summary>Generating sequences whose next token finds no free cell: they end with <c>length</c>.</summary>
    public List<GenerationSequence> OutOfCells { get; } = [];

    /// <summary>Clears <paramref name="batch"/> and this plan, then fills both for the next step.</summary>
    public void Fill(LLamaBatch batch, IReadOnlyList<GenerationSequence> active, int freeCells, int batchSize, SequenceSlots slots)
    {
        Members.Clear();
        OutOfCells.Clear();
        batch.Clear();
        foreach (var sequence in active)
        {
            sequence.OutputIndex = -1;
            sequence.Queued = 0;
        }
        foreach (var sequence in active)
        {
            if (sequence.Pending is not { } token || batch.TokenCount == batchSize)
            {
                continue;
            }
            if (!Reserve(ref freeCells, 1, slots))
            {
                OutOfCells.Add(sequence);
                continue;
            }
            sequence.OutputIndex = batch.Add(token, sequence.Evaluated.Count, sequence.Id, true);
            sequence.Queued = 1;
            Members.Add(sequence);
        }
        foreach (var sequence in active)
        {
            var room = batchSize - batch.TokenCount;
            if (!sequence.InPrompt || room == 0)
            {
                continue;
            }
            var count = Math.Min(sequence.PromptLeft, room);
            if (!Reserve(ref freeCells, count, slots))
            {
                // Part of the prompt now; the rest when cells are free again.
                (count, freeCells) = (freeCells, 0);
            }
            if (count == 0)
            {
                continue;
            }
            var start = sequence.Evaluated.Count;
            var last = start + count == sequence.Prompt.Length;
            for (var i = 0; i < count; i++)
            {
                var index = batch.Add(sequence.Prompt[start + i], start + i, sequence.Id, last && i == count - 1);
                if (last && i == count - 1)
                {
                    sequence.OutputIndex = index;
                }
            }
            sequence.Queued = count;
            Members.Add(sequence);
        }
    }

    /// <summary>Evicts parked sequences until <paramref name="cells"/> are free; false when they cannot be.</summary>
    private static bool Reserve(ref int freeCells, int cells, SequenceSlots slots)
    {
        while (freeCells < cells)
        {
            var freed = slots.EvictOldest();
            if (freed == 0)
            {
                return false;
            }
            freeCells += freed;
        }
        freeCells -= cells;
        return true;
    }
}
