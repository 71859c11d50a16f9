namespace LlmRouter.Api.Json;

/// <summary>
/// A key's budget in its current period, as its grain holds it: settled spending, money held by calls in flight,
/// what is left, and when the period (a UTC day or month) ends.
/// </summary>
public sealed record BudgetStatusView(string Period, decimal LimitUsd, decimal SpentUsd, decimal ReservedUsd, decimal RemainingUsd, DateTimeOffset ResetsAt);
