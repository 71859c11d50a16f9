namespace LlmRouter.Api.Limits;

/// <summary>
/// Calls to one grain grouped: while a call is on its way, the items that follow wait and leave together in the next
/// call when it returns. At low load an item leaves at once; under load one grain call carries what arrived during
/// the last one, at most <see cref="MaxItems"/> (the rest leave in the calls after it), in arrival order, so the grain
/// sees the same sequence it would have seen one call at a time.
/// </summary>
internal sealed class GrainCallBatches<TItem, TResult>(Func<TItem[], Task<TResult[]>> send, int maxItems = GrainCallBatches.DefaultMaxItems)
{
    private readonly Lock _lock = new();
    private readonly Queue<Batch> _waiting = new();
    private Batch? _sending;
    private Batch? _last;

    /// <summary>The most items one grain call carries: a bounded message however long a grain took to answer.</summary>
    public int MaxItems { get; } = maxItems > 0 ? maxItems : throw new ArgumentOutOfRangeException(nameof(maxItems), maxItems, "a batch carries at least one item");

    /// <summary>Queues <paramref name="item"/>: its answer is <c>Answers[Index]</c> once the call carrying it returns.</summary>
    public (Task<TResult[]> Answers, int Index) Add(TItem item)
    {
        Batch batch;
        lock (_lock)
        {
            if (_sending is not null)
            {
                if (_last is null || _last.Items.Count == MaxItems)
                {
                    _last = new Batch();
                    _waiting.Enqueue(_last);
                }
                _last.Items.Add(item);
                return (_last.Done.Task, _last.Items.Count - 1);
            }
            batch = _sending = new Batch();
            batch.Items.Add(item);
        }
        _ = SendAsync(batch);
        return (batch.Done.Task, 0);
    }

    /// <summary>Completes when every item queued so far has been answered (or its call has failed).</summary>
    public Task Pending()
    {
        lock (_lock)
        {
            return _last?.Done.Task ?? _sending?.Done.Task ?? Task.CompletedTask;
        }
    }

    private async Task SendAsync(Batch batch)
    {
        while (true)
        {
            try
            {
                batch.Done.TrySetResult(await send([.. batch.Items]).ConfigureAwait(false));
            }
            catch (Exception exception)
            {
                batch.Done.TrySetException(exception);
            }
            lock (_lock)
            {
                if (!_waiting.TryDequeue(out var next))
                {
                    _sending = null;
                    return;
                }
                if (next == _last)
                {
                    _last = null;
                }
                batch = _sending = next;
            }
        }
    }

    private sealed class Batch
    {
        public List<TItem> Items { get; } = [];

        public TaskCompletionSource<TResult[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What every <see cref="GrainCallBatches{TItem, TResult}"/> shares.</summary>
internal static class GrainCallBatches
{
    /// <summary>Items per grain call unless told otherwise: hundreds of calls' admissions in one message of a few tens of KB.</summary>
    public const int DefaultMaxItems = 256;
}
