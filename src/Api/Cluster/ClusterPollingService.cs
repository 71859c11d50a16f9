using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Cluster;

/// <summary>
/// Runs <see cref="PollAsync"/> every <see cref="Interval"/> once the node has started; a failing poll is logged once
/// per outage (while the silo that holds the grain is being replaced, every poll fails alike) and tried again at the next tick.
/// </summary>
public abstract partial class ClusterPollingService(TimeSpan interval, ILogger logger) : BackgroundService
{
    private bool _failing;

    public TimeSpan Interval => interval;

    public abstract Task PollAsync(CancellationToken cancellationToken);

    /// <summary>What the node misses while polls fail, for the log.</summary>
    protected abstract string WhatWaits { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await TryPollAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    protected async Task TryPollAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PollAsync(cancellationToken).ConfigureAwait(false);
            _failing = false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            if (!_failing)
            {
                LogPollFailed(logger, exception, GetType().Name, WhatWaits);
            }
            _failing = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Poller} could not reach its grain; {WhatWaits} until it answers again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string poller, string whatWaits);
}
