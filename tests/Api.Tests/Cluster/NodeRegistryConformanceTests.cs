using LlmRouter.Abstractions.Cluster;
using LlmRouter.Tests.Shared;

namespace LlmRouter.Api.Tests.Cluster;

/// <summary>
/// The facts every <see cref="INodeRegistry"/> must satisfy, whatever its store: upserting heartbeats, liveness by
/// the store's clock, clean removal, and session affinity records.
/// </summary>
public abstract class NodeRegistryConformanceTests
{
    protected abstract Task<INodeRegistry> CreateAsync();

    private static ClusterNode Node(string id, int depth = 0, params string[] models) => new()
    {
        NodeId = id,
        InternalUrl = $"http://{id}.internal:8000",
        Roles = ["gpu"],
        HostedModels = models,
        QueueDepth = depth,
    };

    [StoreFact]
    public async Task A_heartbeat_registers_the_node_and_the_next_one_updates_it()
    {
        var registry = await CreateAsync();

        await registry.HeartbeatAsync(Node("gpu-1", 0, "local/a"));
        await registry.HeartbeatAsync(Node("gpu-1", 3, "local/a", "local/b") with { Roles = ["api", "gpu"] });
        await registry.HeartbeatAsync(Node("gpu-2"));

        var nodes = await registry.ListLiveAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(["gpu-1", "gpu-2"], nodes.Select(n => n.NodeId));
        var first = nodes[0];
        Assert.Equal(("http://gpu-1.internal:8000", 3), (first.InternalUrl, first.QueueDepth));
        Assert.Equal(["api", "gpu"], first.Roles);
        Assert.Equal(["local/a", "local/b"], first.HostedModels);
        Assert.NotNull(first.LastHeartbeat);
        Assert.Empty(nodes[1].HostedModels);
    }

    [StoreFact]
    public async Task A_node_whose_heartbeat_is_older_than_the_limit_is_not_live()
    {
        var registry = await CreateAsync();
        await registry.HeartbeatAsync(Node("gpu-1"));
        await Task.Delay(200);

        Assert.Empty(await registry.ListLiveAsync(TimeSpan.FromMilliseconds(50)));
        Assert.Single(await registry.ListLiveAsync(TimeSpan.FromMinutes(1)));
    }

    [StoreFact]
    public async Task A_removed_node_is_gone()
    {
        var registry = await CreateAsync();
        await registry.HeartbeatAsync(Node("gpu-1"));
        await registry.HeartbeatAsync(Node("gpu-2"));

        await registry.RemoveAsync("gpu-1");

        Assert.Equal(["gpu-2"], (await registry.ListLiveAsync(TimeSpan.FromMinutes(1))).Select(n => n.NodeId));
    }

    [StoreFact]
    public async Task Sessions_remember_the_last_node_per_model_until_pruned()
    {
        var registry = await CreateAsync();

        await registry.RecordSessionAsync("s1", "local/a", "gpu-1");
        await registry.RecordSessionAsync("s1", "local/a", "gpu-2");
        await registry.RecordSessionAsync("s1", "local/b", "gpu-1");

        Assert.Equal("gpu-2", await registry.FindSessionNodeAsync("s1", "local/a"));
        Assert.Equal("gpu-1", await registry.FindSessionNodeAsync("s1", "local/b"));
        Assert.Null(await registry.FindSessionNodeAsync("s2", "local/a"));

        Assert.Equal(0, await registry.PruneSessionsAsync(TimeSpan.FromMinutes(1)));
        await Task.Delay(200);
        Assert.Equal(2, await registry.PruneSessionsAsync(TimeSpan.FromMilliseconds(50)));
        Assert.Null(await registry.FindSessionNodeAsync("s1", "local/a"));
    }
}
