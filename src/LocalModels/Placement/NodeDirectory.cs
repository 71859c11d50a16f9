using System.Collections.Concurrent;
using LlmRouter.Abstractions.Cluster;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// This node's view of the GPU nodes: the registry's live rows (re-read at most once a second), minus nodes this
/// node just failed to reach, plus the calls this node has in flight to each (the registry's queue depth is up to
/// one heartbeat old). Orders the hosts of a model: the session's node first, then the least loaded.
/// </summary>
public sealed class NodeDirectory(INodeRegistry registry, ClusterIdentity self, TimeProvider time)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    /// <summary>A node whose heartbeat is older than this counts as gone.</summary>
    public static readonly TimeSpan LiveWindow = HeartbeatInterval * 3;

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, long> _downUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private volatile Snapshot? _snapshot;

    /// <summary>The live nodes other than this one that host <paramref name="modelId"/>, in the order to try them.</summary>
    public async ValueTask<IReadOnlyList<ClusterNode>> CandidatesAsync(string modelId, string? preferredNodeId, CancellationToken cancellationToken)
    {
        var nodes = await LiveNodesAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetTimestamp();
        return nodes
            .Where(n => n.NodeId != self.NodeId && n.HasRole(NodeRoles.Gpu) && n.Hosts(modelId))
            .Where(n => !_downUntil.TryGetValue(n.NodeId, out var until) || until < now)
            .OrderBy(n => n.NodeId == preferredNodeId ? 0 : 1)
            .ThenBy(Load)
            .ThenBy(n => n.NodeId, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The registry's live nodes, from a snapshot at most a second old.</summary>
    public async ValueTask<IReadOnlyList<ClusterNode>> LiveNodesAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || time.GetElapsedTime(snapshot.Taken) > CacheFor)
        {
            var nodes = await registry.ListLiveAsync(LiveWindow, cancellationToken).ConfigureAwait(false);
            _snapshot = snapshot = new Snapshot(nodes, time.GetTimestamp());
        }
        return snapshot.Nodes;
    }

    /// <summary>Skips a node that could not be reached until it had time to send fresh heartbeats (or to be seen as gone).</summary>
    public void MarkDown(string nodeId) =>
        _downUntil[nodeId] = time.GetTimestamp() + (long)(LiveWindow.TotalSeconds * time.TimestampFrequency);

    /// <summary>Counts a call in flight to <paramref name="nodeId"/> until disposed.</summary>
    public IDisposable Track(string nodeId)
    {
        _inFlight.AddOrUpdate(nodeId, 1, static (_, count) => count + 1);
        return new InFlight(this, nodeId);
    }

    private int Load(ClusterNode node) => node.QueueDepth + _inFlight.GetValueOrDefault(node.NodeId);

    private sealed record Snapshot(IReadOnlyList<ClusterNode> Nodes, long Taken);

    private sealed class InFlight(NodeDirectory directory, string nodeId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                directory._inFlight.AddOrUpdate(nodeId, 0, static (_, count) => Math.Max(0, count - 1));
            }
        }
    }
}
