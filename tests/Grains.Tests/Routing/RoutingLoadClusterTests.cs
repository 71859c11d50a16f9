using LlmRouter.Abstractions.Configuration;
using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Tests.Limits;

namespace LlmRouter.Grains.Tests.Routing;

/// <summary>
/// Three nodes, one per silo, each with its own in-flight and latency trackers synchronised through the routing load
/// grain: after a round of reports every node balances by the cluster's calls in flight and latency average, while
/// its own calls count at once.
/// </summary>
public sealed class RoutingLoadClusterTests : IAsyncLifetime
{
    private LimitGrainCluster _cluster = null!;
    private Node[] _nodes = [];

    public async Task InitializeAsync()
    {
        _cluster = await LimitGrainCluster.StartAsync();
        _nodes = _cluster.Factories.Select(factory => new Node(factory)).ToArray();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task SyncAllAsync()
    {
        // Twice round: the first round's early reporters learn the later ones' figures in the second.
        for (var round = 0; round < 2; round++)
        {
            foreach (var node in _nodes)
            {
                await node.Sync.SyncAsync(CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task Calls_in_flight_are_summed_over_the_nodes_and_a_node_counts_its_own_at_once()
    {
        var (a, b, c) = (_nodes[0], _nodes[1], _nodes[2]);
        for (var i = 0; i < 2; i++)
        {
            a.Load.Started("p/m");
        }
        for (var i = 0; i < 3; i++)
        {
            b.Load.Started("p/m");
        }
        c.Load.Started("p/other");

        await SyncAllAsync();
        var seen = _nodes.Select(n => (n.Load.InFlight("p/m"), n.Load.InFlight("p/other"))).ToArray();
        a.Load.Started("p/m");
        var ownAtOnce = a.Load.InFlight("p/m");
        for (var i = 0; i < 3; i++)
        {
            b.Load.Finished("p/m");
        }
        await SyncAllAsync();

        Assert.All(seen, s => Assert.Equal((5, 1), s));
        Assert.Equal(6, ownAtOnce);
        Assert.All(_nodes, n => Assert.Equal(3, n.Load.InFlight("p/m")));
    }

    [Fact]
    public async Task Every_node_balances_by_the_cluster_latency_average_with_its_own_samples_on_top()
    {
        var (a, b, c) = (_nodes[0], _nodes[1], _nodes[2]);
        a.Latency.Observe("p/m", 100);
        await a.Sync.SyncAsync(CancellationToken.None);
        b.Latency.Observe("p/m", 200);
        await b.Sync.SyncAsync(CancellationToken.None);
        await c.Sync.SyncAsync(CancellationToken.None);
        await a.Sync.SyncAsync(CancellationToken.None);

        var cluster = 100 + LatencyAverage.Alpha * (200 - 100);
        Assert.All(_nodes, n => Assert.Equal(cluster, n.Latency.LatencyMs("p/m")!.Value, 9));
        Assert.All(_nodes, n => Assert.Equal(2, n.Latency.Samples("p/m")));

        c.Latency.Observe("p/m", 1000);
        Assert.Equal(LatencyAverage.Alpha * 1000 + (1 - LatencyAverage.Alpha) * cluster, c.Latency.LatencyMs("p/m")!.Value, 9);
        Assert.Equal(3, c.Latency.Samples("p/m"));
        Assert.Equal(cluster, a.Latency.LatencyMs("p/m")!.Value, 9);
        Assert.Null(a.Latency.LatencyMs("p/never"));
    }

    [Fact]
    public async Task The_newest_samples_of_a_busy_interval_give_the_same_average_as_every_sample()
    {
        var single = new LatencyTracker(new StaticConfig(new RouterConfig()));
        var node = _nodes[0];
        for (var i = 0; i < 1000; i++)
        {
            var sample = 50 + i % 37 * 10;
            node.Latency.Observe("p/m", sample);
            single.Observe("p/m", sample);
        }
        await node.Sync.SyncAsync(CancellationToken.None);
        await _nodes[1].Sync.SyncAsync(CancellationToken.None);

        Assert.Equal(single.LatencyMs("p/m")!.Value, node.Latency.LatencyMs("p/m")!.Value, 6);
        Assert.Equal(single.LatencyMs("p/m")!.Value, _nodes[1].Latency.LatencyMs("p/m")!.Value, 6);
        Assert.Equal(1000, _nodes[1].Latency.Samples("p/m"));
    }

    private sealed class Node
    {
        public Node(IGrainFactory grains)
        {
            Load = new InFlightTracker();
            Latency = new LatencyTracker(new StaticConfig(new RouterConfig()));
            Sync = new RoutingLoadSync(Load, Latency, grains);
        }

        public InFlightTracker Load { get; }
        public LatencyTracker Latency { get; }
        public RoutingLoadSync Sync { get; }
    }
}
