namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>
/// nginx's smooth weighted round robin for one group: on each pick every eligible member's current weight grows by
/// its weight, the largest is chosen (the first on a tie) and lowered by the sum of the eligible weights. Weights
/// 3 and 1 give a, a, b, a — spread out, never bursts. The state resets when the group's members change.
/// </summary>
public sealed class SmoothWeightedRoundRobin
{
    private readonly Lock _gate = new();
    private BalancedMember[] _members = [];
    private long[] _current = [];

    /// <summary>
    /// Picks among the members <paramref name="eligible"/> accepts (weight above 0 only); -1 when none is.
    /// <paramref name="after"/> receives every member's current weight after the pick.
    /// </summary>
    public int Next(IReadOnlyList<BalancedMember> members, Func<int, bool> eligible, long[] after)
    {
        lock (_gate)
        {
            if (!_members.AsSpan().SequenceEqual(members.ToArray()))
            {
                _members = members.ToArray();
                _current = new long[_members.Length];
            }
            long total = 0;
            var best = -1;
            for (var i = 0; i < _members.Length; i++)
            {
                if (_members[i].Weight <= 0 || !eligible(i))
                {
                    continue;
                }
                _current[i] += _members[i].Weight;
                total += _members[i].Weight;
                if (best < 0 || _current[i] > _current[best])
                {
                    best = i;
                }
            }
            if (best >= 0)
            {
                _current[best] -= total;
            }
            _current.CopyTo(after, 0);
            return best;
        }
    }
}
