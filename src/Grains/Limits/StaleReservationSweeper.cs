using LlmRouter.Abstractions.Limits;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Grains.Limits;

/// <summary>
/// Releases reservations that no node settled (the node holding the call was killed), so their budget money does not
/// stay held until the period ends: every <see cref="Interval"/>, reservations older than <see cref="MaxCallAge"/>
/// become spent as calls of unknown usage (see <see cref="ILimitStore.ReleaseStaleAsync"/>). Every node sweeps; the
/// store releases each reservation once. A store error is logged and the next round tries again.
/// </summary>
public sealed partial class StaleReservationSweeper(ILimitStore store, TimeProvider time, ILogger<StaleReservationSweeper> logger) : BackgroundService
{
    /// <summary>
    /// A reservation older than this belongs to a call that is not coming back: no call is expected to legitimately
    /// run for an hour (an upstream stream that long would have timed out long before).
    /// </summary>
    public static readonly TimeSpan MaxCallAge = TimeSpan.FromHours(1);

    /// <summary>How often a node sweeps; money of a killed node is held at most this much longer than <see cref="MaxCallAge"/>.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>Reservations released per store call, so one sweep never holds the writer (or budget rows) for long.</summary>
    public const int BatchSize = 500;

    /// <summary>Releases every reservation older than <see cref="MaxCallAge"/> now; returns how many were released.</summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - MaxCallAge;
        var total = 0L;
        while (true)
        {
            var released = await store.ReleaseStaleAsync(cutoff, BatchSize, cancellationToken).ConfigureAwait(false);
            total += released;
            if (released < BatchSize)
            {
                break;
            }
        }
        if (total > 0)
        {
            LogReleased(logger, total, MaxCallAge.TotalMinutes);
        }
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSweepFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released {Count} reservations older than {Minutes} minutes that no node settled (kept as spent, usage unknown)")]
    private static partial void LogReleased(ILogger logger, long count, double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing stale reservations failed; will retry at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
