using Orleans.Placement;

namespace LlmRouter.LocalModels.Placement;

/// <summary>Places a grain with <see cref="LeastBusyGpuPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class LeastBusyGpuPlacementAttribute() : PlacementAttribute(new LeastBusyGpuPlacement());
