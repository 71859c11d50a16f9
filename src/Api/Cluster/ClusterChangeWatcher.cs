using LlmRouter.Abstractions.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Cluster;

/// <summary>
/// Polls the change feed grain every <see cref="Interval"/> (one small grain call, no SQL) and runs the handlers of
/// every topic whose version moved; a new epoch (the feed grain was reactivated) reruns them all. A handler that
/// fails is run again at the next poll.
/// </summary>
public sealed partial class ClusterChangeWatcher(IGrainFactory grains, IEnumerable<ClusterChangeHandler> handlers, ILogger<ClusterChangeWatcher> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly ClusterChangeHandler[] _handlers = handlers.ToArray();
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private Guid _epoch;
    private bool _failing;

    /// <summary>Reads the feed once and reruns what moved since the last read.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var versions = await grains.GetGrain<IChangeFeedGrain>(0).GetVersionsAsync(cancellationToken).ConfigureAwait(false);
        if (versions.Epoch != _epoch)
        {
            _seen.Clear();
            _epoch = versions.Epoch;
        }
        foreach (var handler in _handlers)
        {
            var version = versions.Of(handler.Topic);
            if (_seen.TryGetValue(handler.Topic, out var seen) && seen == version)
            {
                continue;
            }
            try
            {
                await handler.RefreshAsync(cancellationToken).ConfigureAwait(false);
                _seen[handler.Topic] = version;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRefreshFailed(logger, exception, handler.Topic);
            }
        }
    }

    /// <summary>
    /// Registered after the silo, so this runs once it has started and before the node serves: the first poll reads
    /// every topic (the toggle's grain included) so the node starts with the cluster's state.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PollAsync(cancellationToken).ConfigureAwait(false);
            _failing = false;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPollFailed(logger, exception);
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await PollAsync(stoppingToken).ConfigureAwait(false);
                _failing = false;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Once per outage: while the silo starts or the feed's silo is being replaced, every poll fails alike.
                if (!_failing)
                {
                    LogPollFailed(logger, exception);
                }
                _failing = true;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reread {Topic} after a change announced by the cluster; retrying at the next poll")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the cluster's change feed; changes made on other nodes wait until it answers again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
