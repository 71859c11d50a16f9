using System.Collections.Immutable;

namespace LlmRouter.Grains.Routing;

/// <summary>
/// The cluster's routing load (see <see cref="IRoutingLoadGrain"/>): each node's latest in-flight counts, dropped once
/// the node has not reported for <see cref="NodeExpiry"/> (it died or left), and one latency moving average per model
/// fed by every node's samples in the order they arrive.
/// </summary>
public sealed class RoutingLoadGrain(TimeProvider time) : Grain, IRoutingLoadGrain
{
    public static readonly TimeSpan NodeExpiry = TimeSpan.FromSeconds(5);

    private readonly Dictionary<Guid, (DateTimeOffset Seen, ImmutableDictionary<string, int> InFlight)> _nodes = [];
    private ImmutableDictionary<string, ModelLatency> _latency = ImmutableDictionary.Create<string, ModelLatency>(StringComparer.Ordinal);

    public ValueTask<ClusterLoad> ReportAsync(NodeLoadReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = time.GetUtcNow();
        _nodes[report.Node] = (now, report.InFlight);
        foreach (var (node, seen) in _nodes.Where(n => now - n.Value.Seen > NodeExpiry).ToArray())
        {
            _nodes.Remove(node);
        }
        foreach (var (model, samples) in report.Latency)
        {
            _latency = _latency.SetItem(model, LatencyAverage.Add(_latency.GetValueOrDefault(model), samples.Newest, samples.Count));
        }
        var inFlight = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var (model, count) in _nodes.Values.SelectMany(n => n.InFlight))
        {
            inFlight[model] = inFlight.GetValueOrDefault(model) + count;
        }
        return ValueTask.FromResult(new ClusterLoad(inFlight.ToImmutable(), _latency));
    }
}
