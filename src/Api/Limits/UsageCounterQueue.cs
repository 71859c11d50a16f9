using System.Threading.Channels;
using LlmRouter.Abstractions;
using LlmRouter.Abstractions.Limits;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Limits;

/// <summary>
/// Groups usage counts into batches on one background loop, so a node under load writes one store round trip per
/// batch instead of one per call. Settlement ids make retries harmless: the store applies each id at most once.
/// A store that refuses writes (a database restarting) is retried for a minute without holding anyone: waiters are
/// let go at the first failure. Disposal drains the queue, so a graceful stop settles everything.
/// </summary>
public sealed partial class UsageCounterQueue : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly Channel<(UsageSettlement? Settlement, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(UsageSettlement?, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IUsageCounterStore _store;
    private readonly ILogger<UsageCounterQueue> _logger;
    private readonly Task _writer;
    private readonly StoreWriteRetry _retry;

    public UsageCounterQueue(IUsageCounterStore store, ILogger<UsageCounterQueue> logger, TimeProvider? time = null)
    {
        _store = store;
        _logger = logger;
        _retry = new StoreWriteRetry(time ?? TimeProvider.System);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>
    /// Queues a settlement. The task completes once the store has it, or at once while the store refuses writes (the
    /// settlement stays queued and is retried); it faults only when the queue has stopped.
    /// </summary>
    public Task SettleAsync(UsageSettlement settlement)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((settlement, done)))
        {
            LogDroppedAfterStop(_logger, settlement.ModelId);
            done.SetException(new InvalidOperationException("the settlement queue has stopped"));
        }
        return _retry.IsFailing ? Task.CompletedTask : done.Task;
    }

    /// <summary>Waits until every settlement queued so far has been written.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _queue.Writer.TryWrite((null, done)) ? done.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<UsageSettlement>(MaxBatch);
        var waiters = new List<TaskCompletionSource>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                if (item.Settlement is { } settlement)
                {
                    batch.Add(settlement);
                }
                waiters.Add(item.Done);
            }
            if (batch.Count > 0)
            {
                await WriteWithRetryAsync(batch, waiters).ConfigureAwait(false);
            }
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult();
            }
            batch.Clear();
            waiters.Clear();
        }
    }

    private async Task WriteWithRetryAsync(List<UsageSettlement> batch, List<TaskCompletionSource> waiters)
    {
        var lost = await _retry.RunAsync(
            () => _store.AddAsync(batch),
            (exception, attempt) => LogWriteRetry(_logger, exception, batch.Count, attempt),
            () =>
            {
                foreach (var waiter in waiters)
                {
                    waiter.TrySetResult();
                }
            }).ConfigureAwait(false);
        if (lost is not null)
        {
            LogWriteFailed(_logger, lost, batch.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling {Count} invocations failed (attempt {Attempt}); retrying")]
    private static partial void LogWriteRetry(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Settling {Count} invocations failed for a minute; their usage is not counted")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A settlement for {Model} arrived after the queue stopped and was not written")]
    private static partial void LogDroppedAfterStop(ILogger logger, string model);
}
