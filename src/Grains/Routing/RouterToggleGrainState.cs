using LlmRouter.Abstractions.Routing;

namespace LlmRouter.Grains.Routing;

/// <summary>What the router toggle's grain persists: the state and the newest accepted changes, oldest first.</summary>
[GenerateSerializer, Alias("router-toggle-grain-state")]
public sealed class RouterToggleGrainState
{
    [Id(0)] public RouterToggleState? State { get; set; }
    [Id(1)] public List<RouterToggleChange> History { get; set; } = [];
}
