using System.Collections.Concurrent;
using System.Collections.Immutable;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Grains.Routing;

/// <summary>
/// An exponentially weighted moving average of each model's latency (<see cref="LatencyAverage"/>), fed by every
/// finished attempt: a success counts with its latency, a failure that makes the router fall back (429, 5xx, timeout,
/// unreachable) counts as if it took the whole upstream timeout, and the client's own cancellations and 4xx answers do
/// not count. The average is the cluster's, as the routing load grain last reported it, with this node's samples since
/// then applied on top (see <see cref="RoutingLoadSync"/>).
/// </summary>
public sealed class LatencyTracker(IRouterConfigSource config) : IModelLatencies, IInvocationListener
{
    private readonly ConcurrentDictionary<string, Average> _averages = new(StringComparer.Ordinal);

    public double? LatencyMs(string modelId) => _averages.TryGetValue(modelId, out var average) ? average.Value?.AverageMs : null;

    /// <summary>How many samples the model's average has taken in.</summary>
    public long Samples(string modelId) => _averages.TryGetValue(modelId, out var average) ? average.Value?.Samples ?? 0 : 0;

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

    public void Observe(string modelId, double latencyMs) => Of(modelId).Add(latencyMs);

    /// <summary>The samples taken since the last call, per model, for the cluster's grain.</summary>
    public ImmutableDictionary<string, LatencySamples> TakeNewSamples()
    {
        var taken = ImmutableDictionary.CreateBuilder<string, LatencySamples>(StringComparer.Ordinal);
        foreach (var (model, average) in _averages)
        {
            if (average.TakeNew() is { } samples)
            {
                taken[model] = samples;
            }
        }
        return taken.ToImmutable();
    }

    /// <summary>Takes the cluster's averages, then applies this node's samples taken since they were reported.</summary>
    public void ApplyCluster(ImmutableDictionary<string, ModelLatency> cluster)
    {
        foreach (var (model, latency) in cluster)
        {
            Of(model).Rebase(latency);
        }
    }

    private Average Of(string modelId) => _averages.GetOrAdd(modelId, static _ => new Average());

    private sealed class Average
    {
        private readonly Lock _gate = new();
        private readonly Queue<double> _new = new();
        private long _newCount;

        public ModelLatency? Value { get; private set; }

        public void Add(double sample)
        {
            lock (_gate)
            {
                Value = LatencyAverage.Add(Value, [sample], 1);
                if (_new.Count == LatencyAverage.Kept)
                {
                    _new.Dequeue();
                }
                _new.Enqueue(sample);
                _newCount++;
            }
        }

        public LatencySamples? TakeNew()
        {
            lock (_gate)
            {
                if (_newCount == 0)
                {
                    return null;
                }
                var samples = new LatencySamples(_newCount, _new.ToArray());
                _new.Clear();
                _newCount = 0;
                return samples;
            }
        }

        public void Rebase(ModelLatency cluster)
        {
            lock (_gate)
            {
                Value = _newCount == 0 ? cluster : LatencyAverage.Add(cluster, _new, _newCount);
            }
        }
    }
}
