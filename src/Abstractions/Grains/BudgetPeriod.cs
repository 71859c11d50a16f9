namespace LlmRouter.Abstractions.Grains;

/// <summary>The calendar period a key's budget resets on, in UTC.</summary>
[GenerateSerializer, Alias("budget-period")]
public enum BudgetPeriod
{
    Day,
    Month,
}
