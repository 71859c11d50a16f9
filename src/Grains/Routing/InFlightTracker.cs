using System.Collections.Concurrent;

namespace LlmRouter.Grains.Routing;

/// <summary>Counts upstream calls in flight per model on this node (for the least_busy strategy).</summary>
public sealed class InFlightTracker : IModelLoad
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public int InFlight(string modelId) => _counters.TryGetValue(modelId, out var counter) ? Volatile.Read(ref counter.Value) : 0;

    public void Started(string modelId) => Interlocked.Increment(ref _counters.GetOrAdd(modelId, static _ => new Counter()).Value);

    public void Finished(string modelId)
    {
        if (_counters.TryGetValue(modelId, out var counter))
        {
            Interlocked.Decrement(ref counter.Value);
        }
    }

    private sealed class Counter
    {
        public int Value;
    }
}
