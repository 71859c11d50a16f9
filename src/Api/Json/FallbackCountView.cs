namespace LlmRouter.Api.Json;

/// <summary>How often this node fell back from one model to another.</summary>
public sealed record FallbackCountView(string From, string To, long Count);
