namespace LlmRouter.Grains.Limits;

/// <summary>The UTC calendar day or month an instant falls in, as µs since the epoch (the time unit of limit state).</summary>
internal static class BudgetPeriodBounds
{
    public static (long StartMicros, long EndMicros) Of(long nowMicros, BudgetPeriod period)
    {
        var now = DateTimeOffset.UnixEpoch + GcraWindow.Micros(nowMicros);
        var start = period == BudgetPeriod.Day
            ? new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = period == BudgetPeriod.Day ? start.AddDays(1) : start.AddMonths(1);
        return (GcraWindow.ToMicros(start), GcraWindow.ToMicros(end));
    }
}
