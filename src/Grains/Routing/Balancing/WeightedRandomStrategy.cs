namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>
/// Weighted random: each member is chosen with probability weight / total; the others follow by the same draw
/// among those left. <c>random</c> answers uniformly in [0, 1) and is injected so tests can steer it.
/// </summary>
internal sealed class WeightedRandomStrategy(Func<double> random) : IBalancingStrategy
{
    public string Name => BalancingStrategies.Random;

    public int[] Order(IReadOnlyList<BalancedMember> members, SmoothWeightedRoundRobin rotation)
    {
        var left = Enumerable.Range(0, members.Count).Where(i => members[i].Weight > 0).ToList();
        var order = new List<int>(members.Count);
        while (left.Count > 0)
        {
            long total = left.Sum(i => (long)members[i].Weight);
            var point = random() * total;
            var chosen = left[^1];
            double reached = 0;
            foreach (var i in left)
            {
                reached += members[i].Weight;
                if (point < reached)
                {
                    chosen = i;
                    break;
                }
            }
            order.Add(chosen);
            left.Remove(chosen);
        }
        order.AddRange(Enumerable.Range(0, members.Count).Where(i => members[i].Weight <= 0));
        return order.ToArray();
    }
}
