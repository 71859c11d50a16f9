using LlmRouter.Abstractions.Cluster;
using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.LocalModels.Placement;

/// <summary>This node's id and roles, fixed at start (<c>[cluster] node_id</c> / LLM_ROUTER_NODE_ID, roles).</summary>
public sealed record ClusterIdentity(string NodeId, IReadOnlyList<string> Roles)
{
    public bool IsGpu => Roles.Contains(NodeRoles.Gpu, StringComparer.Ordinal);

    public static ClusterIdentity From(ClusterConfig cluster) =>
        new(cluster.NodeId ?? Environment.MachineName, cluster.Roles);
}
