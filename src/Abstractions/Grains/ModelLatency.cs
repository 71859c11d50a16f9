namespace LlmRouter.Abstractions.Grains;

/// <summary>A model's latency moving average in milliseconds and how many samples it has taken in.</summary>
[GenerateSerializer, Immutable, Alias("model-latency")]
public sealed record ModelLatency(double AverageMs, long Samples);
