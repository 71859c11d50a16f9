namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>
/// The member with the fewest calls in flight on this node relative to its weight (in flight ÷ weight, as nginx's
/// least_conn); members tied for the fewest take turns by weighted round robin.
/// </summary>
internal sealed class LeastBusyStrategy(IModelLoad load) : IBalancingStrategy
{
    public string Name => BalancingStrategies.LeastBusy;

    public int[] Order(IReadOnlyList<BalancedMember> members, SmoothWeightedRoundRobin rotation)
    {
        var scores = members.Select(m => m.Weight > 0 ? (double)load.InFlight(m.Name) / m.Weight : double.MaxValue).ToArray();
        return TiedTurns.Order(members, rotation, scores);
    }
}
