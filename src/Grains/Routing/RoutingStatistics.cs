using System.Collections.Concurrent;
using LlmRouter.Abstractions;

namespace LlmRouter.Grains.Routing;

/// <summary>Routing decisions on this node since it started, for GET /router/metrics.</summary>
public sealed class RoutingStatistics
{
    private readonly ConcurrentDictionary<RouteKind, long> _decisions = new();
    private readonly ConcurrentDictionary<string, long> _ruleHits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Group, string Member), long> _groupPicks = new();
    private readonly ConcurrentDictionary<(string From, string To), long> _fallbacks = new();

    public void Decided(RoutePlan plan)
    {
        _decisions.AddOrUpdate(plan.Kind, 1, static (_, n) => n + 1);
        if (plan.Rule is { } rule)
        {
            _ruleHits.AddOrUpdate(rule, 1, static (_, n) => n + 1);
        }
    }

    public void GroupPicked(string group, string member) => _groupPicks.AddOrUpdate((group, member), 1, static (_, n) => n + 1);

    public void FellBack(string from, string to) => _fallbacks.AddOrUpdate((from, to), 1, static (_, n) => n + 1);

    /// <summary>Decisions by <see cref="RouteKind"/> name.</summary>
    public IReadOnlyDictionary<string, long> Decisions => _decisions.ToDictionary(p => WireNames<RouteKind>.Of(p.Key), p => p.Value, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> RuleHits => _ruleHits.ToDictionary(StringComparer.Ordinal);

    public long GroupPicks(string group, string member) => _groupPicks.GetValueOrDefault((group, member));

    public IReadOnlyList<(string From, string To, long Count)> Fallbacks =>
        _fallbacks.Select(p => (p.Key.From, p.Key.To, p.Value)).OrderBy(f => f.From, StringComparer.Ordinal).ThenBy(f => f.To, StringComparer.Ordinal).ToArray();
}
