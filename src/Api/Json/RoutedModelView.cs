namespace LlmRouter.Api.Json;

/// <summary>A model's live routing figures on this node: calls in flight and the latency moving average.</summary>
public sealed record RoutedModelView(string Model, int InFlight, double? LatencyEwmaMs, long Samples);
