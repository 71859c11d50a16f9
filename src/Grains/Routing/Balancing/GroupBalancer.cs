using System.Collections.Concurrent;

namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>Orders a group's members by the group's strategy, keeping each group's rotation state on this node.</summary>
public sealed class GroupBalancer
{
    private readonly Dictionary<string, IBalancingStrategy> _strategies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SmoothWeightedRoundRobin> _rotations = new(StringComparer.Ordinal);

    public GroupBalancer(IEnumerable<IBalancingStrategy> strategies)
    {
        foreach (var strategy in strategies)
        {
            _strategies[strategy.Name] = strategy;
        }
    }

    /// <summary>Member indexes of <paramref name="members"/>: the one to try first, then the fallback order.</summary>
    public int[] Order(ModelGroupConfig group, IReadOnlyList<BalancedMember> members)
    {
        var strategy = _strategies.GetValueOrDefault(group.Strategy) ?? _strategies[BalancingStrategies.RoundRobin];
        return strategy.Order(members, _rotations.GetOrAdd(group.Name, static _ => new SmoothWeightedRoundRobin()));
    }
}
