using LlmRouter.Abstractions;
using LlmRouter.Abstractions.Grains;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Cluster;

/// <summary>
/// Polls the change feed grain every <see cref="PollInterval"/> (one small grain call, no SQL) and runs the handlers of
/// every topic whose version moved; a new epoch (the feed grain was reactivated) reruns them all. A handler that
/// fails is run again at the next poll.
/// </summary>
public sealed partial class ClusterChangeWatcher(IGrainFactory grains, IEnumerable<ClusterChangeHandler> handlers, ILogger<ClusterChangeWatcher> logger)
    : ClusterPollingService(PollInterval, logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly ClusterChangeHandler[] _handlers = handlers.ToArray();
    private readonly Dictionary<ClusterTopic, long> _seen = [];
    private Guid _epoch;

    protected override string WhatWaits => "changes made on other nodes wait";

    /// <summary>Reads the feed once and reruns what moved since the last read.</summary>
    public override async Task PollAsync(CancellationToken cancellationToken)
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
                LogRefreshFailed(logger, exception, WireNames<ClusterTopic>.Of(handler.Topic));
            }
        }
    }

    /// <summary>
    /// Registered after the silo, so this runs once it has started and before the node serves: the first poll reads
    /// every topic (the toggle's grain included) so the node starts with the cluster's state.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryPollAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reread {Topic} after a change announced by the cluster; retrying at the next poll")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string topic);
}
