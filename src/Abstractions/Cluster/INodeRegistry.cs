namespace LlmRouter.Abstractions.Cluster;

/// <summary>
/// Service discovery on the store: every node refreshes its row with a heartbeat; a node whose heartbeat is
/// older than a caller's limit counts as gone. Not a membership protocol: no node decides for another.
/// </summary>
public interface INodeRegistry
{
    /// <summary>Inserts or refreshes the node's row; the heartbeat time is the store's clock, not the node's.</summary>
    ValueTask HeartbeatAsync(ClusterNode node, CancellationToken cancellationToken = default);

    /// <summary>The nodes whose last heartbeat is at most <paramref name="maxAge"/> old by the store's clock.</summary>
    ValueTask<IReadOnlyList<ClusterNode>> ListLiveAsync(TimeSpan maxAge, CancellationToken cancellationToken = default);

    /// <summary>Removes the node's row (a node leaving cleanly).</summary>
    ValueTask RemoveAsync(string nodeId, CancellationToken cancellationToken = default);

    /// <summary>Remembers which node served a session's last call to a model.</summary>
    ValueTask RecordSessionAsync(string sessionKey, string modelId, string nodeId, CancellationToken cancellationToken = default);

    /// <summary>The node that served the session's last call to the model, if remembered.</summary>
    ValueTask<string?> FindSessionNodeAsync(string sessionKey, string modelId, CancellationToken cancellationToken = default);

    /// <summary>Forgets sessions not served for <paramref name="idle"/>; returns how many were forgotten.</summary>
    ValueTask<int> PruneSessionsAsync(TimeSpan idle, CancellationToken cancellationToken = default);
}
