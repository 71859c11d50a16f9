using LlmRouter.Abstractions.Cluster;
using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// What a silo says about itself in its Orleans silo metadata: its kind (<c>silo</c> or <c>gpu</c>, key
/// <see cref="SiloMetadataKeys.Role"/>) and, on a gpu silo, the local models configured on it at start.
/// </summary>
public static class GpuSiloMetadata
{
    private const char ListSeparator = ',';

    public static Dictionary<string, string> For(ClusterConfig cluster, RouterConfig config)
    {
        var gpu = NodeRoles.IsGpu(cluster.Roles);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [SiloMetadataKeys.Role] = gpu ? NodeRoles.Gpu : NodeRoles.Silo };
        if (gpu)
        {
            metadata[SiloMetadataKeys.LocalModels] = string.Join(ListSeparator, ConfiguredModels(config));
        }
        return metadata;
    }

    /// <summary>Whether the metadata marks a gpu silo.</summary>
    public static bool IsGpu(IReadOnlyDictionary<string, string> metadata) => metadata.GetValueOrDefault(SiloMetadataKeys.Role) == NodeRoles.Gpu;

    /// <summary>Whether the metadata is a gpu silo's that lists the model: one it was configured with at start.</summary>
    public static bool Hosts(IReadOnlyDictionary<string, string> metadata, string modelId) =>
        IsGpu(metadata)
        && metadata.GetValueOrDefault(SiloMetadataKeys.LocalModels) is { } models
        && models.Split(ListSeparator).Contains(modelId, StringComparer.Ordinal);

    /// <summary>The active models of active <c>llamacpp</c> providers: what a gpu node loads.</summary>
    private static IEnumerable<string> ConfiguredModels(RouterConfig config)
    {
        var providers = config.Providers.Where(p => p.IsActive && p.Type == ProviderTypes.LlamaCpp).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return config.Models.Where(m => m.IsActive && providers.Contains(m.Provider)).Select(m => m.Id);
    }
}
