namespace LlmRouter.Api.Json;

/// <summary>A model group in GET /router/metrics.</summary>
public sealed record GroupMetricsView(string Name, string Strategy, IReadOnlyList<GroupMemberView> Members);
