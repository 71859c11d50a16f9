using System.Collections.Concurrent;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Grains.Routing;

/// <summary>
/// An exponentially weighted moving average of each model's latency, fed by every finished attempt: a success
/// counts with its latency, a failure that makes the router fall back (429, 5xx, timeout, unreachable) counts as
/// if it took the whole upstream timeout, and the client's own cancellations and 4xx answers do not count.
/// </summary>
public sealed class LatencyTracker(IRouterConfigSource config) : IModelLatencies, IInvocationListener
{
    /// <summary>The weight of the newest sample: about the last five calls dominate.</summary>
    public const double Alpha = 0.3;

    private readonly ConcurrentDictionary<string, Average> _averages = new(StringComparer.Ordinal);

    public double? LatencyMs(string modelId) => _averages.TryGetValue(modelId, out var average) ? average.Value : null;

    /// <summary>How many samples the model's average has taken in.</summary>
    public long Samples(string modelId) => _averages.TryGetValue(modelId, out var average) ? average.Count : 0;

    public Task OnInvocationCompleted(InvocationRecord record)
    {
        double sample;
        if (record.Status == InvocationStatus.Success)
        {
            sample = record.LatencyMs;
        }
        else if (record.Status == InvocationStatus.Error && (record.HttpStatus == 429 || record.HttpStatus >= 500))
        {
            sample = config.Current.Server.DefaultTimeoutSeconds * 1000;
        }
        else
        {
            return Task.CompletedTask;
        }
        Observe($"{record.Provider}/{record.Model}", sample);
        return Task.CompletedTask;
    }

    public void Observe(string modelId, double latencyMs) => _averages.GetOrAdd(modelId, static _ => new Average()).Add(latencyMs);

    private sealed class Average
    {
        private readonly Lock _gate = new();
        private double _value;

        public long Count { get; private set; }

        public double Value
        {
            get
            {
                lock (_gate)
                {
                    return _value;
                }
            }
        }

        public void Add(double sample)
        {
            lock (_gate)
            {
                _value = Count == 0 ? sample : Alpha * sample + (1 - Alpha) * _value;
                Count++;
            }
        }
    }
}
