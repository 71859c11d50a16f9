using System.Collections.Immutable;

namespace LlmRouter.Abstractions.Grains;

/// <summary>The cluster's calls in flight per model (live nodes' latest reports summed) and latency average per model.</summary>
[GenerateSerializer, Immutable, Alias("cluster-load")]
public sealed record ClusterLoad(ImmutableDictionary<string, int> InFlight, ImmutableDictionary<string, ModelLatency> Latency);
