namespace LlmRouter.Api.Json;

/// <summary>What GET /cost/daily answers: every day of the range, oldest first, and the range's total.</summary>
public sealed record CostDailyResponse(string Currency, DateTimeOffset Start, DateTimeOffset End, decimal TotalCost, IReadOnlyList<CostDayView> Days);
