using LlmRouter.Abstractions.LocalModels;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// Keeps the silos that may host a local-model grain: those whose metadata marks them <c>gpu</c> and lists the model
/// the grain's key names (<see cref="GpuSiloMetadata"/>). When none is left, placement fails with
/// <see cref="NoGpuHostException"/> rather than with Orleans' generic "no compatible silo".
/// </summary>
internal sealed class GpuHostPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var modelId = LocalModelGrainKey.ModelId(target.GrainIdentity.Key.ToString());
        var hosts = silos.Where(silo => GpuSiloMetadata.Hosts(metadata.GetSiloMetadata(silo).Metadata, modelId)).ToArray();
        return hosts.Length > 0 ? hosts : throw new NoGpuHostException(modelId);
    }
}
