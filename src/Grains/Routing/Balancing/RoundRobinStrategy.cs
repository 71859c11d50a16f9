namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>Smooth weighted round robin; the others follow in the order the rotation would reach them next.</summary>
internal sealed class RoundRobinStrategy : IBalancingStrategy
{
    public string Name => BalancingStrategies.RoundRobin;

    public int[] Order(IReadOnlyList<BalancedMember> members, SmoothWeightedRoundRobin rotation)
    {
        var current = new long[members.Count];
        var first = rotation.Next(members, _ => true, current);
        return MemberOrder.Build(members, first, i => -current[i]);
    }
}
