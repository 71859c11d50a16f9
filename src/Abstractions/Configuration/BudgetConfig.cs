namespace LlmRouter.Abstractions.Configuration;

/// <summary>A spending cap in USD per period ("day" or "month").</summary>
public sealed record BudgetConfig
{
    public required decimal LimitUsd { get; init; }
    public string Period { get; init; } = "month";
}
