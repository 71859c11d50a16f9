using System.Collections.Immutable;

namespace LlmRouter.Abstractions.Grains;

/// <summary>/// One node's report to <see cref="IRoutingLoadGrain"/>: its calls in flight per model now (replacing its previous
/// report) and the latency samples it took per model since its previous report.
/// </summary>
[GenerateSerializer, Immutable, Alias("node-load-report")]
public sealed record NodeLoadReport(Guid Node, ImmutableDictionary<string, int> InFlight, ImmutableDictionary<string, LatencySamples> Latency);
