namespace LlmRouter.Api.Json;

/// <summary>A group member in GET /router/metrics: how often the strategy chose it first, and its live figures.</summary>
public sealed record GroupMemberView(string Model, int Weight, long Picks, int InFlight, double? LatencyEwmaMs);
