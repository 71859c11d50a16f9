namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>
/// The member with the lowest moving average of observed latency. A member never observed counts as 0 ms, so
/// each gets tried; members tied for the lowest take turns by weighted round robin.
/// </summary>
internal sealed class LeastLatencyStrategy(IModelLatencies latencies) : IBalancingStrategy
{
    public string Name => BalancingStrategies.LeastLatency;

    public int[] Order(IReadOnlyList<BalancedMember> members, SmoothWeightedRoundRobin rotation)
    {
        var scores = members.Select(m => latencies.LatencyMs(m.Name) ?? 0).ToArray();
        return TiedTurns.Order(members, rotation, scores);
    }
}
