using System.Threading.Channels;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Invocations;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Persistence;

/// <summary>
/// Queues invocations in memory and writes them in batches on one background loop, so the request path never
/// waits on the store. Disposal drains the queue, so a graceful stop loses nothing. Bodies over
/// <see cref="MonitoringConfig.MaxBodyBytes"/> are cut here, off the request path.
/// </summary>
public sealed partial class BatchedInvocationLog : IInvocationLog, IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly Channel<InvocationRecord> _queue = Channel.CreateUnbounded<InvocationRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IInvocationStore _store;
    private readonly ILogger<BatchedInvocationLog> _logger;
    private readonly IRouterConfigSource? _config;
    private readonly Task _writer;
    private readonly Lock _gate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];
    private long _appended;
    private long _written;

    public BatchedInvocationLog(IInvocationStore store, ILogger<BatchedInvocationLog> logger, IRouterConfigSource? config = null)
    {
        _store = store;
        _logger = logger;
        _config = config;
        _writer = Task.Run(WriteLoopAsync);
    }

    public void Append(InvocationRecord record)
    {
        Interlocked.Increment(ref _appended);
        if (!_queue.Writer.TryWrite(record))
        {
            LogDroppedAfterStop(_logger, record.Model);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _appended);
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_written >= target)
            {
                return ValueTask.CompletedTask;
            }
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushWaiters.Add((target, done));
        }
        return new ValueTask(done.Task.WaitAsync(cancellationToken));
    }

    public ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default) =>
        _store.ListAsync(query, cancellationToken);

    public ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        _store.GetAsync(id, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<InvocationRecord>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var maxBodyBytes = _config?.Current.Monitoring.MaxBodyBytes ?? MonitoringConfig.DefaultMaxBodyBytes;
            while (batch.Count < MaxBatch && reader.TryRead(out var record))
            {
                batch.Add(InvocationBodies.Limit(record, maxBodyBytes));
            }
            await WriteWithRetryAsync(batch).ConfigureAwait(false);
            MarkWritten(batch.Count);
            batch.Clear();
        }
    }

    private async Task WriteWithRetryAsync(List<InvocationRecord> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.WriteBatchAsync(batch).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (attempt < 5)
            {
                LogWriteRetry(_logger, exception, batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt)).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LogWriteFailed(_logger, exception, batch.Count);
                return;
            }
        }
    }

    private void MarkWritten(int count)
    {
        lock (_gate)
        {
            _written += count;
            for (var i = _flushWaiters.Count - 1; i >= 0; i--)
            {
                if (_flushWaiters[i].Target <= _written)
                {
                    _flushWaiters[i].Done.TrySetResult();
                    _flushWaiters.RemoveAt(i);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} invocations failed (attempt {Attempt}); retrying")]
    private static partial void LogWriteRetry(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} invocations failed; they are lost")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An invocation of {Model} arrived after the log stopped and was not written")]
    private static partial void LogDroppedAfterStop(ILogger logger, string model);
}
