namespace LlmRouter.Api.Json;

/// <summary>GET /router/metrics: this node's routing decisions since it started and its live per-model figures.</summary>
public sealed record RouterMetricsResponse(
    string Node,
    DateTimeOffset Since,
    bool Enabled,
    IReadOnlyDictionary<string, long> Decisions,
    IReadOnlyList<RuleHitsView> Rules,
    IReadOnlyList<GroupMetricsView> Groups,
    IReadOnlyList<FallbackCountView> Fallbacks,
    IReadOnlyList<RoutedModelView> Models);
