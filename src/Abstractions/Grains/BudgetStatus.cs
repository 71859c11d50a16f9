namespace LlmRouter.Abstractions.Grains;

/// <summary>A key's budget in one period: settled spending, money held by calls in flight, and when the period ends.</summary>
[GenerateSerializer, Immutable, Alias("budget-status")]
public sealed record BudgetStatus(BudgetPeriod Period, decimal SpentUsd, decimal ReservedUsd, DateTimeOffset PeriodEnd);
