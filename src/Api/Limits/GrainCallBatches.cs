namespace LlmRouter.Api.Limits;

/// <summary>
/// Calls to one grain grouped: while a call is on its way, the items that follow wait and leave together in the next
/// call when it returns. At low load an item leaves at once; under load one grain call carries all that arrived during
/// the last one, in arrival order, so the grain sees the same sequence it would have seen one call at a time.
/// </summary>
internal sealed class GrainCallBatches<TItem, TResult>(Func<TItem[], Task<TResult[]>> send)
{
    private readonly Lock _lock = new();
    private Batch? _sending;
    private Batch? _next;

    /// <summary>Queues <paramref name="item"/>: its answer is <c>Answers[Index]</c> once the call carrying it returns.</summary>
    public (Task<TResult[]> Answers, int Index) Add(TItem item)
    {
        Batch batch;
        lock (_lock)
        {
            if (_sending is not null)
            {
                _next ??= new Batch();
                _next.Items.Add(item);
                return (_next.Done.Task, _next.Items.Count - 1);
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
            return _next?.Done.Task ?? _sending?.Done.Task ?? Task.CompletedTask;
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
                if (_next is null)
                {
                    _sending = null;
                    return;
                }
                batch = _sending = _next;
                _next = null;
            }
        }
    }

    private sealed class Batch
    {
        public List<TItem> Items { get; } = [];

        public TaskCompletionSource<TResult[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
