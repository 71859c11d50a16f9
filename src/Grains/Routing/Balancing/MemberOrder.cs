namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>Builds a strategy's answer: the chosen member, the other weighted members by a score, then the standbys.</summary>
internal static class MemberOrder
{
    /// <summary><paramref name="first"/> (or -1), then weighted members by ascending <paramref name="score"/> and position, then weight-0 members.</summary>
    public static int[] Build(IReadOnlyList<BalancedMember> members, int first, Func<int, double> score)
    {
        var order = new List<int>(members.Count);
        if (first >= 0)
        {
            order.Add(first);
        }
        order.AddRange(Enumerable.Range(0, members.Count)
            .Where(i => i != first && members[i].Weight > 0)
            .OrderBy(score)
            .ThenBy(i => i));
        order.AddRange(Enumerable.Range(0, members.Count).Where(i => i != first && members[i].Weight <= 0));
        return order.ToArray();
    }
}
