namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// The cluster's routing load, one activation (key 0): every node reports its own calls in flight and its newest
/// latency samples per model every half second or so and gets back the cluster's totals, which
/// <c>least_busy</c> and <c>least_latency</c> balance by. Held in memory: a new activation is refilled by the next reports.
/// </summary>
public interface IRoutingLoadGrain : IGrainWithIntegerKey
{
    ValueTask<ClusterLoad> ReportAsync(NodeLoadReport report, CancellationToken cancellationToken = default);
}
