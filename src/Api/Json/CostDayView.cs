namespace LlmRouter.Api.Json;

/// <summary>One UTC day of GET /cost/daily (days without calls are listed with zeros).</summary>
public sealed record CostDayView(string Date, long Requests, long PromptTokens, long CompletionTokens, long TotalTokens, decimal Cost);
