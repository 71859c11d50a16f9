namespace LlmRouter.Abstractions.Grains;

/// <summary>/// Latency samples of one model, in milliseconds: how many were taken and the newest of them in order (older ones weigh
/// nothing in a moving average that has seen <see cref="Newest"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("latency-samples")]
public sealed record LatencySamples(long Count, double[] Newest);
