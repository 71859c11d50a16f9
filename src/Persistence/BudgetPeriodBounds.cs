using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Persistence;

/// <summary>The UTC calendar day or month an instant falls in, as µs since the epoch (the stores' time unit for limits).</summary>
public static class BudgetPeriodBounds
{
    public static string Name(BudgetPeriod period) => period == BudgetPeriod.Day ? "day" : "month";

    public static (long StartMicros, long EndMicros) Of(long nowMicros, BudgetPeriod period)
    {
        var now = UnixMicros.ToDateTimeOffset(nowMicros);
        var start = period == BudgetPeriod.Day
            ? new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = period == BudgetPeriod.Day ? start.AddDays(1) : start.AddMonths(1);
        return (UnixMicros.From(start), UnixMicros.From(end));
    }
}
