using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Responses;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Persistence;

/// <summary>
/// Deletes invocations, and the Responses API answers kept beside them, older than <see cref="MonitoringConfig.RetentionDays"/>:
/// shortly after start, then hourly, in bounded batches so the writer is never locked out for long. In a cluster every node prunes; that is harmless.
/// The roll-ups stay, so statistics and cost over the deleted time still count those calls.
/// </summary>
public sealed partial class InvocationRetention(
    IInvocationStore store, IResponseStore responses, IRouterConfigSource config, TimeProvider time, ILogger<InvocationRetention> logger) : BackgroundService
{
    public const int BatchSize = 1000;

    private static readonly TimeSpan FirstRun = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan BetweenBatches = TimeSpan.FromMilliseconds(20);

    /// <summary>Prunes now; returns how many invocations were deleted (0 when retention is off).</summary>
    public async Task<long> PruneAsync(CancellationToken cancellationToken = default)
    {
        var days = config.Current.Monitoring.RetentionDays;
        if (days <= 0)
        {
            return 0;
        }
        var cutoff = time.GetUtcNow().AddDays(-days);
        var total = await PruneAsync(store.DeleteOlderThanAsync, cutoff, cancellationToken).ConfigureAwait(false);
        await PruneAsync(responses.DeleteOlderThanAsync, cutoff, cancellationToken).ConfigureAwait(false);
        if (total > 0)
        {
            LogPruned(logger, total, days);
        }
        return total;
    }

    private async Task<long> PruneAsync(
        Func<DateTimeOffset, int, CancellationToken, ValueTask<int>> deleteBatch, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0L;
        while (true)
        {
            var deleted = await deleteBatch(cutoff, BatchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }
            await Task.Delay(BetweenBatches, time, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRun, time, stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                try
                {
                    await PruneAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogPruneFailed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} invocations older than {Days} days")]
    private static partial void LogPruned(ILogger logger, long count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning old invocations failed; will retry at the next interval")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
