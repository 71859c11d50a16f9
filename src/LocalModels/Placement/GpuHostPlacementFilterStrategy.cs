using Orleans.Placement;

namespace LlmRouter.LocalModels.Placement;

/// <summary>The placement filter of local-model grains: only <c>gpu</c> silos whose metadata lists the grain's model.</summary>
internal sealed class GpuHostPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);
