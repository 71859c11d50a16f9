using Orleans.Placement;

namespace LlmRouter.LocalModels.Placement;

/// <summary>Places a local-model grain only on a <c>gpu</c> silo that hosts its model (<see cref="GpuHostPlacementFilterDirector"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class GpuHostPlacementFilterAttribute() : PlacementFilterAttribute(new GpuHostPlacementFilterStrategy());
