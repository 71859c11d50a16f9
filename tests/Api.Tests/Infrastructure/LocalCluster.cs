using LlmRouter.Abstractions.Cluster;
using LlmRouter.Persistence.Sqlite;

namespace LlmRouter.Api.Tests.Infrastructure;

/// <summary>
/// Node processes sharing one SQLite store and one router.toml in a temp directory: GPU nodes that host the tiny
/// model and API-only nodes that forward to them, all with the same cluster secret.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<NodeProcess> _nodes = [];

    private LocalCluster(string directory)
    {
        Directory = directory;
        DatabasePath = Path.Combine(directory, "cluster.db");
    }

    public string Directory { get; }
    public string DatabasePath { get; }
    public string Secret { get; } = "cluster-" + Guid.NewGuid().ToString("N");

    public static async Task<LocalCluster> CreateAsync(string toml)
    {
        var directory = Path.Combine(Path.GetTempPath(), "llmrouter-tests", "cluster-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "router.toml"), toml);
        return new LocalCluster(directory);
    }

    public async Task<NodeProcess> StartNodeAsync(string nodeId, string roles)
    {
        var node = await NodeProcess.StartAsync(nodeId, Directory, new Dictionary<string, string>
        {
            ["LLM_ROUTER_ROLES"] = roles,
            ["LLM_ROUTER_DATABASE_URL"] = "sqlite:///" + DatabasePath,
            ["LLM_ROUTER_MODEL_CONFIG"] = Path.Combine(Directory, "router.toml"),
            ["LLM_ROUTER_CLUSTER_SECRET"] = Secret,
        });
        _nodes.Add(node);
        return node;
    }

    /// <summary>Waits until the store lists the given nodes as live hosts of <paramref name="modelId"/>.</summary>
    public async Task WaitForHostsAsync(string modelId, params string[] nodeIds)
    {
        var registry = new SqliteNodeRegistry(new SqliteDatabase(DatabasePath));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var live = await registry.ListLiveAsync(TimeSpan.FromSeconds(6));
            if (nodeIds.All(id => live.Any(n => n.NodeId == id && n.Hosts(modelId) && n.HasRole(NodeRoles.Gpu))))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"nodes {string.Join(", ", nodeIds)} never registered as hosts of {modelId}; live: "
                    + string.Join("; ", live.Select(n => $"{n.NodeId} [{string.Join(",", n.HostedModels)}]"))
                    + "\n" + string.Join("\n---\n", _nodes.Select(n => n.Output)));
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Harmless in a temp directory.
        }
    }
}
