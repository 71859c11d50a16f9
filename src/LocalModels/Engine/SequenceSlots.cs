namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// The sequence ids of one context and what their memory holds. A sequence that completed stays parked with its
/// tokens while nobody needs its id or cells, so a follow-up turn sharing its prefix (the same conversation, one
/// turn longer) evaluates only the new tokens; a parked sequence is evicted, oldest first, as soon as an id or
/// cells are needed. Cancelled and failed sequences free their cells at once.
/// </summary>
internal sealed class SequenceSlots(SafeLLamaContextHandle context, int count)
{
    private readonly Stack<int> _free = new(Enumerable.Range(0, count).Reverse());
    private readonly List<(LLamaSeqId Id, List<int> Tokens)> _parked = [];

    /// <summary>Cells held by parked sequences.</summary>
    public int ParkedCells => _parked.Sum(p => p.Tokens.Count);

    public int Parked => _parked.Count;

    /// <summary>
    /// An id for a new sequence with <paramref name="prompt"/>: the parked sequence sharing the longest prefix with
    /// it (its later cells removed), else a free one, else the oldest parked one, emptied. False when every id is in use.
    /// </summary>
    public bool TryTake(ReadOnlySpan<int> prompt, out LLamaSeqId id, out List<int> cached, out int reused)
    {
        var best = -1;
        reused = 0;
        for (var i = 0; i < _parked.Count; i++)
        {
            var common = CommonPrefix(_parked[i].Tokens, prompt);
            if (common > reused)
            {
                (best, reused) = (i, common);
            }
        }
        if (best >= 0)
        {
            (id, cached) = _parked[best];
            _parked.RemoveAt(best);
            // The last prompt token is always evaluated again: sampling needs its logits.
            reused = Math.Min(reused, prompt.Length - 1);
            context.MemorySequenceRemove(id, reused, -1);
            return true;
        }
        if (_free.TryPop(out var free))
        {
            (id, cached) = ((LLamaSeqId)free, []);
            return true;
        }
        if (_parked.Count > 0)
        {
            (id, cached) = _parked[0];
            _parked.RemoveAt(0);
            context.MemorySequenceRemove(id, -1, -1);
            cached.Clear();
            return true;
        }
        (id, cached) = (default, []);
        return false;
    }

    /// <summary>Keeps a completed sequence's memory for a later prefix match.</summary>
    public void Park(LLamaSeqId id, List<int> tokens) => _parked.Add((id, tokens));

    /// <summary>Removes a sequence's cells and makes its id free.</summary>
    public void Free(LLamaSeqId id)
    {
        context.MemorySequenceRemove(id, -1, -1);
        _free.Push((int)id);
    }

    /// <summary>Frees the oldest parked sequence's cells; how many were freed (0 when none is parked).</summary>
    public int EvictOldest()
    {
        if (_parked.Count == 0)
        {
            return 0;
        }
        var (id, tokens) = _parked[0];
        _parked.RemoveAt(0);
        Free(id);
        return tokens.Count;
    }

    private static int CommonPrefix(List<int> cached, ReadOnlySpan<int> prompt)
    {
        var common = 0;
        while (common < cached.Count && common < prompt.Length && cached[common] == prompt[common])
        {
            common++;
        }
        return common;
    }
}
