namespace LlmRouter.Api.Json;

/// <summary>Requests, tokens and cost (USD) over one period, from <c>start</c> (inclusive) up to now.</summary>
public sealed record CostPeriodView(DateTimeOffset? Start, long Requests, long PromptTokens, long CompletionTokens, long TotalTokens, decimal Cost);
