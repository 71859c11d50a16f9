namespace LlmRouter.Abstractions.Cluster;

/// <summary>The keys of the Orleans silo metadata a node publishes about itself.</summary>
public static class SiloMetadataKeys
{
    /// <summary>The silo's kind: <see cref="NodeRoles.Silo"/> or <see cref="NodeRoles.Gpu"/>.</summary>
    public const string Role = "role";

    /// <summary>The ids of the local models a gpu silo hosts, comma-separated.</summary>
    public const string LocalModels = "local-models";
}
