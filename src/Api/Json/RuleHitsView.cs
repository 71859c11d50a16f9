namespace LlmRouter.Api.Json;

/// <summary>A routing rule in GET /router/metrics: how many requests it routed on this node.</summary>
public sealed record RuleHitsView(string Name, long Hits);
