namespace LlmRouter.Abstractions.Cluster;

/// <summary>A node as it announces itself in the store: how to reach it, what it does, what it hosts and how busy it is.</summary>
public sealed record ClusterNode
{
    public required string NodeId { get; init; }

    /// <summary>The base URL other nodes reach this node's internal endpoints at.</summary>
    public required string InternalUrl { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Ids (<c>provider/name</c>) of the local models loaded and serving on this node.</summary>
    public IReadOnlyList<string> HostedModels { get; init; } = [];

    /// <summary>Local-model requests running or waiting on this node at the last heartbeat.</summary>
    public int QueueDepth { get; init; }

    /// <summary>The store's time of the last heartbeat (set when read back).</summary>
    public DateTimeOffset? LastHeartbeat { get; init; }

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool Hosts(string modelId) => HostedModels.Contains(modelId, StringComparer.Ordinal);
}
