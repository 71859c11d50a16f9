namespace LlmRouter.Api.Json;

/// <summary>What GET /cost/by-model and /cost/by-user answer: groups by cost, highest first.</summary>
public sealed record CostBreakdownResponse(string Currency, DateTimeOffset Start, DateTimeOffset End, decimal TotalCost, IReadOnlyList<UsageGroupView> Items);
