namespace LlmRouter.Grains.Limits;

/// <summary>The names router.toml uses for budget periods (<c>day</c>, <c>month</c>).</summary>
public static class BudgetPeriods
{
    public static BudgetPeriod Parse(string? name) => name == "day" ? BudgetPeriod.Day : BudgetPeriod.Month;

    public static string Name(BudgetPeriod period) => period == BudgetPeriod.Day ? "day" : "month";
}
