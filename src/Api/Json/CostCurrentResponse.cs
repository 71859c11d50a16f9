namespace LlmRouter.Api.Json;

/// <summary>What GET /cost/current answers: spend today and this month (UTC) and since records began.</summary>
public sealed record CostCurrentResponse(string Currency, DateTimeOffset AsOf, CostPeriodView Today, CostPeriodView ThisMonth, CostPeriodView Total);
