using LlmRouter.Api.Cluster;
using LlmRouter.Grains.Routing;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Routing;

/// <summary>Runs <see cref="RoutingLoadSync"/> every <see cref="RoutingLoadSync.Interval"/>, so least_busy and least_latency see the cluster.</summary>
public sealed class RoutingLoadReporter(RoutingLoadSync sync, ILogger<RoutingLoadReporter> logger) : ClusterPollingService(RoutingLoadSync.Interval, logger)
{
    protected override string WhatWaits => "balancing sees this node's own calls and latency only";

    public override Task PollAsync(CancellationToken cancellationToken) => sync.SyncAsync(cancellationToken);
}
