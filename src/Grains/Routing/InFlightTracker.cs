using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace LlmRouter.Grains.Routing;

/// <summary>
/// Counts upstream calls in flight per model for the least_busy strategy: this node's own, live, plus the other nodes'
/// as the cluster's routing load grain last reported them (see <see cref="RoutingLoadSync"/>).
/// </summary>
public sealed class InFlightTracker : IModelLoad
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, int> _others = ImmutableDictionary<string, int>.Empty;

    public int InFlight(string modelId) => Local(modelId) + Volatile.Read(ref _others).GetValueOrDefault(modelId);

    public void Started(string modelId) => Interlocked.Increment(ref _counters.GetOrAdd(modelId, static _ => new Counter()).Value);

    public void Finished(string modelId)
    {
        if (_counters.TryGetValue(modelId, out var counter))
        {
            Interlocked.Decrement(ref counter.Value);
        }
    }

    /// <summary>This node's calls in flight now, per model that has any.</summary>
    public ImmutableDictionary<string, int> LocalCounts()
    {
        var counts = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var (model, counter) in _counters)
        {
            if (Volatile.Read(ref counter.Value) is > 0 and var value)
            {
                counts[model] = value;
            }
        }
        return counts.ToImmutable();
    }

    /// <summary>Takes the cluster's totals, which include <paramref name="reported"/> (this node's counts as sent), as the other nodes' share.</summary>
    public void ApplyCluster(ImmutableDictionary<string, int> totals, ImmutableDictionary<string, int> reported)
    {
        var others = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var (model, total) in totals)
        {
            if (total - reported.GetValueOrDefault(model) is > 0 and var rest)
            {
                others[model] = rest;
            }
        }
        Volatile.Write(ref _others, others.ToImmutable());
    }

    private int Local(string modelId) => _counters.TryGetValue(modelId, out var counter) ? Volatile.Read(ref counter.Value) : 0;

    private sealed class Counter
    {
        public int Value;
    }
}
