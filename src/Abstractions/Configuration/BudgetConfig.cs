namespace LlmRouter.Abstractions.Configuration;

/// <summary>A spending cap in USD per period ("day" or "month").</summary>
[GenerateSerializer, Immutable, Alias("budget")]
public sealed record BudgetConfig
{
    [Id(0)] public required decimal LimitUsd { get; init; }
    [Id(1)] public string Period { get; init; } = "month";
}
