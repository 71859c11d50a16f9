using LlmRouter.Abstractions;
using LlmRouter.Abstractions.Configuration;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Persistence;

/// <summary>
/// Group commit for the invocation log: records appended while a batch is being written wait together and go to the
/// store as the next batch, in one transaction. Each append answers the completion of its own batch, so a request
/// can wait until its record is durable at the cost of one shared commit rather than one commit a request. While the
/// store refuses writes (a database restarting), batches are retried for a while and nobody waits for them. Disposal
/// drains what is queued, so a graceful stop loses nothing. Bodies over <see cref="MonitoringConfig.MaxBodyBytes"/>
/// are cut here, off the request path. Calls the router refused itself (status rejected) are the one kind a client can
/// make at any rate, so at most <see cref="MaxQueuedRejected"/> of them wait at once: a flood of refusals while the store
/// is slow or down is dropped (and counted in the node's log) rather than growing the queue without bound.
/// </summary>
public sealed partial class BatchedInvocationLog : IInvocationLog, IAsyncDisposable
{
    private const int MaxChunk = 512;

    /// <summary>How many rejected calls may wait to be written; more are dropped.</summary>
    public const int MaxQueuedRejected = 10_000;

    private readonly IInvocationStore _store;
    private readonly ILogger<BatchedInvocationLog> _logger;
    private readonly IRouterConfigSource? _config;
    private readonly StoreWriteRetry _retry;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Lock _gate = new();
    private readonly Task _writer;
    private List<InvocationRecord> _pending = [];
    // The queued batch completes two ways: Durable once it is in the store (what FlushAsync waits for), Released
    // once the store has it or has refused it (what a request waits for).
    private TaskCompletionSource _pendingDurable = NewCompletion();
    private TaskCompletionSource _pendingReleased = NewCompletion();
    private Task _inFlightDurable = Task.CompletedTask;
    private bool _stopped;
    private int _queuedRejected;
    private long _droppedRejected;

    public BatchedInvocationLog(IInvocationStore store, ILogger<BatchedInvocationLog> logger, IRouterConfigSource? config = null, TimeProvider? time = null)
    {
        _store = store;
        _logger = logger;
        _config = config;
        _retry = new StoreWriteRetry(time ?? TimeProvider.System);
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task Append(InvocationRecord record)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                LogDroppedAfterStop(_logger, record.Model);
                return Task.CompletedTask;
            }
            if (record.Status == InvocationStatus.Rejected)
            {
                if (_queuedRejected >= MaxQueuedRejected)
                {
                    _droppedRejected++;
                    return Task.CompletedTask;
                }
                _queuedRejected++;
            }
            _pending.Add(record);
            if (_pending.Count == 1)
            {
                _signal.Release();
            }
            // While the store refuses writes nobody waits for them: the record stays queued and is retried.
            return _retry.IsFailing ? Task.CompletedTask : _pendingReleased.Task;
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Task written;
        lock (_gate)
        {
            // Batches are written in order, so the queued batch is done only after the one in flight.
            written = _pending.Count > 0 ? _pendingDurable.Task : _inFlightDurable;
        }
        return written.IsCompleted ? ValueTask.CompletedTask : new ValueTask(written.WaitAsync(cancellationToken));
    }

    public ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default) =>
        _store.ListAsync(query, cancellationToken);

    public ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        _store.GetAsync(id, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
        }
        _signal.Release();
        await _writer.ConfigureAwait(false);
        _signal.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var spare = new List<InvocationRecord>();
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            List<InvocationRecord> batch;
            TaskCompletionSource durable, released;
            bool stopping;
            long dropped;
            lock (_gate)
            {
                batch = _pending;
                durable = _pendingDurable;
                released = _pendingReleased;
                stopping = _stopped;
                if (batch.Count == 0 && !stopping)
                {
                    continue;
                }
                // The batch taken holds its rejected calls now: the queue may take as many again (two caps at most in memory).
                dropped = _droppedRejected;
                _droppedRejected = 0;
                _queuedRejected = 0;
                _pending = spare;
                _pendingDurable = NewCompletion();
                _pendingReleased = NewCompletion();
                _inFlightDurable = durable.Task;
            }
            if (dropped > 0)
            {
                LogRejectedDropped(_logger, dropped, MaxQueuedRejected);
            }
            if (batch.Count > 0)
            {
                var maxBodyBytes = _config?.Current.Monitoring.MaxBodyBytes ?? MonitoringConfig.DefaultMaxBodyBytes;
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i] = InvocationBodies.Limit(batch[i], maxBodyBytes);
                }
                for (var start = 0; start < batch.Count; start += MaxChunk)
                {
                    await WriteWithRetryAsync(batch.GetRange(start, Math.Min(MaxChunk, batch.Count - start)), released).ConfigureAwait(false);
                }
            }
            durable.TrySetResult();
            released.TrySetResult();
            batch.Clear();
            spare = batch;
            if (stopping)
            {
                lock (_gate)
                {
                    if (_pending.Count == 0)
                    {
                        _pendingDurable.TrySetResult();
                        _pendingReleased.TrySetResult();
                        return;
                    }
                }
                _signal.Release();
            }
        }
    }

    /// <summary>Writes a chunk, retrying for a while; the batch's waiters are let go at the first failure.</summary>
    private async Task WriteWithRetryAsync(List<InvocationRecord> batch, TaskCompletionSource released)
    {
        var lost = await _retry.RunAsync(
            () => _store.WriteBatchAsync(batch),
            (exception, attempt) => LogWriteRetry(_logger, exception, batch.Count, attempt),
            () => ReleaseWaiters(released)).ConfigureAwait(false);
        if (lost is not null)
        {
            LogWriteFailed(_logger, lost, batch.Count);
        }
    }

    /// <summary>Lets go the requests waiting on the batch in flight and the queued one (which stays queued).</summary>
    private void ReleaseWaiters(TaskCompletionSource released)
    {
        released.TrySetResult();
        lock (_gate)
        {
            _pendingReleased.TrySetResult();
            _pendingReleased = NewCompletion();
        }
    }

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} invocations failed (attempt {Attempt}); retrying")]
    private static partial void LogWriteRetry(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} invocations failed for a minute; they are lost")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} rejected calls were not logged: {Max} were already waiting for the store")]
    private static partial void LogRejectedDropped(ILogger logger, long count, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An invocation of {Model} arrived after the log stopped and was not written")]
    private static partial void LogDroppedAfterStop(ILogger logger, string model);
}
