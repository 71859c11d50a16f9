namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>Picks the lowest score, breaking ties by the group's weighted round robin, then orders the rest by score.</summary>
internal static class TiedTurns
{
    public static int[] Order(IReadOnlyList<BalancedMember> members, SmoothWeightedRoundRobin rotation, double[] scores)
    {
        var lowest = double.MaxValue;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i].Weight > 0 && scores[i] < lowest)
            {
                lowest = scores[i];
            }
        }
        var first = rotation.Next(members, i => scores[i] == lowest, new long[members.Count]);
        return MemberOrder.Build(members, first, i => scores[i]);
    }
}
