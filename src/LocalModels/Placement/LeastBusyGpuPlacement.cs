using Orleans.Placement;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// The placement of local-model grains: among the silos the gpu filter keeps, the one with the fewest local-model
/// activations (<see cref="LeastBusyGpuPlacementDirector"/>), so a new session goes to the least-loaded gpu node.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class LeastBusyGpuPlacement : PlacementStrategy;
