using System.Net;
using LlmRouter.Abstractions.Cluster;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.LocalModels.Hosting;
using LlmRouter.LocalModels.Placement;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmRouter.LocalModels.Cluster;

/// <summary>
/// Announces this node in the registry once it listens, then every <see cref="NodeDirectory.HeartbeatInterval"/>:
/// its internal URL, roles, the local models ready here and their queue depth. Leaves the registry on a clean
/// stop; a node that dies simply stops beating and is skipped once its heartbeat is too old. Also forgets
/// session affinities nobody used for an hour.
/// </summary>
internal sealed partial class NodeHeartbeat(
    INodeRegistry registry, LocalModelHost host, ClusterIdentity identity, IRouterConfigSource config, IServer server,
    IHostApplicationLifetime lifetime, TimeProvider time, ILogger<NodeHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan SessionIdle = TimeSpan.FromHours(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private bool _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartedAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }
        var url = InternalUrl();
        LogAnnouncing(logger, identity.NodeId, url, string.Join(",", identity.Roles));
        var lastPrune = time.GetTimestamp();
        using var timer = new PeriodicTimer(NodeDirectory.HeartbeatInterval, time);
        try
        {
            await BeatAsync(url, lastPrune, timer, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping.
        }
    }

    private async Task BeatAsync(string url, long lastPrune, PeriodicTimer timer, CancellationToken stoppingToken)
    {
        do
        {
            try
            {
                await registry.HeartbeatAsync(new ClusterNode
                {
                    NodeId = identity.NodeId,
                    InternalUrl = url,
                    Roles = identity.Roles,
                    HostedModels = host.ReadyModels,
                    QueueDepth = host.QueueDepth,
                }, stoppingToken).ConfigureAwait(false);
                _registered = true;
                if (time.GetElapsedTime(lastPrune) > PruneEvery)
                {
                    lastPrune = time.GetTimestamp();
                    await registry.PruneSessionsAsync(SessionIdle, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogHeartbeatFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!_registered)
        {
            return;
        }
        try
        {
            await registry.RemoveAsync(identity.NodeId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogHeartbeatFailed(logger, exception);
        }
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>[cluster] internal_url, else the first address the node listens on (a wildcard host becomes the machine's name).</summary>
    private string InternalUrl()
    {
        if (config.Current.Cluster.InternalUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        if (!Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return address.TrimEnd('/');
        }
        var wildcard = uri.Host is "0.0.0.0" or "[::]" || (IPAddress.TryParse(uri.Host, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));
        var builder = new UriBuilder(uri) { Host = wildcard ? Dns.GetHostName() : uri.Host };
        return builder.Uri.GetLeftPart(UriPartial.Authority);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} announces itself at {Url} with roles {Roles}")]
    private static partial void LogAnnouncing(ILogger logger, string node, string url, string roles);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node registry heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
