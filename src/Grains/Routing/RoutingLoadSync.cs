namespace LlmRouter.Grains.Routing;

/// <summary>
/// Keeps this node's balancing figures cluster-wide without a grain call per request: every <see cref="Interval"/> it
/// reports the node's calls in flight and new latency samples to the routing load grain and takes back the cluster's
/// totals. Other nodes' figures are thus at most about one interval (plus a grain round trip) old; this node's own are live.
/// </summary>
public sealed class RoutingLoadSync(InFlightTracker load, LatencyTracker latencies, IGrainFactory grains)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly Guid _node = Guid.NewGuid();

    /// <summary>
    /// One report and its answer. Samples of a report that fails are not sent again: the node's own average kept them,
    /// and the cluster's average is a moving one.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var report = new NodeLoadReport(_node, load.LocalCounts(), latencies.TakeNewSamples());
        var cluster = await grains.GetGrain<IRoutingLoadGrain>(0).ReportAsync(report, cancellationToken).ConfigureAwait(false);
        load.ApplyCluster(cluster.InFlight, report.InFlight);
        latencies.ApplyCluster(cluster.Latency);
    }
}
