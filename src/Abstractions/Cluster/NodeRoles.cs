namespace LlmRouter.Abstractions.Cluster;

/// <summary>The roles a node can have (<c>[cluster] roles</c>, <c>LLM_ROUTER_ROLES</c>).</summary>
public static class NodeRoles
{
    /// <summary>Serves the HTTP API to clients.</summary>
    public const string Api = "api";

    /// <summary>Hosts local GGUF models in-process.</summary>
    public const string Gpu = "gpu";
}
