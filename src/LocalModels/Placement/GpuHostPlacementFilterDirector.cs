using LlmRouter.Abstractions.LocalModels;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// Keeps the silos that may host a local-model grain: those whose metadata marks them <c>gpu</c> and lists the model
/// the grain's key names (<see cref="GpuSiloMetadata"/>). Silo metadata is fixed when a silo starts, so a model added
/// later (a router.toml reload) is listed by none: then every gpu silo is kept, and the grain placed on one that does
/// not load it answers unavailable and deactivates, so the next call is placed anew. When no gpu silo is left,
/// placement fails with <see cref="NoGpuHostException"/> rather than with Orleans' generic "no compatible silo".
/// </summary>
internal sealed class GpuHostPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var modelId = LocalModelGrainKey.ModelId(target.GrainIdentity.Key.ToString());
        var gpus = silos.Select(silo => (Silo: silo, Metadata: metadata.GetSiloMetadata(silo).Metadata)).Where(s => GpuSiloMetadata.IsGpu(s.Metadata)).ToArray();
        var hosts = gpus.Where(s => GpuSiloMetadata.Hosts(s.Metadata, modelId)).Select(s => s.Silo).ToArray();
        if (hosts.Length > 0)
        {
            return hosts;
        }
        return gpus.Length > 0 ? gpus.Select(s => s.Silo).ToArray() : throw new NoGpuHostException(modelId);
    }
}
