namespace LlmRouter.Persistence.Rollups;

/// <summary>
/// Roll-ups of the invocation log: per UTC minute, hour, day, week (from Monday) and month and per provider, model and API key, the sums
/// every statistics, time-series and cost answer needs (status as error, client-closed and rejected counts; averages as sums and
/// counts). They are written in the same transaction as the records they sum, so they never drift from the log, and
/// they stay when retention deletes old records. A call without a key is kept under the key '' (a key that has no
/// NULL, so the row can be upserted); reads turn it back into NULL.
/// </summary>
public static class InvocationRollups
{
    public const int Minute = 0;
    public const int Hour = 1;
    public const int Day = 2;

    /// <summary>Calendar months (UTC), so a year's totals read twelve buckets a group.</summary>
    public const int Month = 3;

    /// <summary>Weeks from Monday (UTC), for week series and ranges that weeks cover better than months.</summary>
    public const int Week = 4;

    public const int Levels = 5;

    /// <summary>Levels that nest, finest first: a range is read down one of these (weeks and months do not nest).</summary>
    public static readonly IReadOnlyList<int> MonthLadder = [Minute, Hour, Day, Month];

    public static readonly IReadOnlyList<int> WeekLadder = [Minute, Hour, Day, Week];

    /// <summary>1970-01-05, a Monday: weeks are counted from there.</summary>
    public const long MondayMs = 4 * 86_400_000L;

    private static readonly long[] Widths = [60_000, 3_600_000, 86_400_000, 0, 7 * 86_400_000L];

    /// <summary>The roll-up rows a batch of records adds to, each with what the batch adds: every record counts once per level.</summary>
    public static IReadOnlyDictionary<RollupKey, UsageAggregate> Deltas(IReadOnlyList<InvocationRecord> records)
    {
        var deltas = new Dictionary<RollupKey, UsageAggregate>();
        foreach (var record in records)
        {
            var sums = Of(record);
            var at = record.CreatedAt.ToUnixTimeMilliseconds();
            for (var level = 0; level < Levels; level++)
            {
                var key = new RollupKey(level, Floor(at, level), record.Provider, record.Model, record.ApiKeyId ?? "", record.ApiKeyName ?? "");
                deltas[key] = deltas.TryGetValue(key, out var sum) ? sum + sums : sums;
            }
        }
        return deltas;
    }

    /// <summary>What one record adds to its roll-ups.</summary>
    /// <remarks>A call the router refused counts in <see cref="UsageAggregate.Rejected"/> alone (see <see cref="UsageTotals.Rejected"/>).</remarks>
    public static UsageAggregate Of(InvocationRecord r) => r.Status == InvocationStatus.Rejected
        ? new(0, 0, 0, 0, 0, 0, 0, 0, 0, Rejected: 1)
        : new(
            1,
            r.Status == InvocationStatus.Error ? 1 : 0,
            r.Status == InvocationStatus.ClientClosed ? 1 : 0,
            r.PromptTokens,
            r.CompletionTokens,
            CostUnits.ToNanoUsd(r.Cost),
            r.LatencyMs,
            r.TimeToFirstTokenMs is null ? 0 : 1,
            r.TimeToFirstTokenMs ?? 0);

    /// <summary>The start of the bucket of <paramref name="level"/> holding <paramref name="ms"/> (Unix milliseconds).</summary>
    public static long Floor(long ms, int level)
    {
        if (level == Month)
        {
            var t = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
            return new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        }
        var width = Widths[level];
        var offset = level == Week ? MondayMs : 0;
        return ms - ((((ms - offset) % width) + width) % width);
    }

    /// <summary>The width of a bucket of <paramref name="level"/> in milliseconds (months have none: they are calendar months).</summary>
    public static long Width(int level) => level == Month ? throw new ArgumentOutOfRangeException(nameof(level)) : Widths[level];

    /// <summary>How many buckets of <paramref name="level"/> lie between two bucket starts of it.</summary>
    public static long Count(long from, long to, int level)
    {
        if (level != Month)
        {
            return (to - from) / Widths[level];
        }
        var (a, b) = (DateTimeOffset.FromUnixTimeMilliseconds(from), DateTimeOffset.FromUnixTimeMilliseconds(to));
        return (b.Year - a.Year) * 12L + b.Month - a.Month;
    }

    /// <summary>The first bucket start of <paramref name="level"/> at or after <paramref name="ms"/>.</summary>
    public static long Ceiling(long ms, int level)
    {
        var floor = Floor(ms, level);
        if (floor == ms)
        {
            return ms;
        }
        return level == Month
            ? DateTimeOffset.FromUnixTimeMilliseconds(floor).AddMonths(1).ToUnixTimeMilliseconds()
            : floor + Widths[level];
    }
}
