using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Persistence.Rollups;

/// <summary>
/// Roll-ups of the invocation log: per UTC minute, hour, day and month and per provider, model and API key, the sums
/// every statistics, time-series and cost answer needs (status as error and client-closed counts; averages as sums and
/// counts). They are written in the same transaction as the records they sum, so they never drift from the log, and
/// they stay when retention deletes old records. A call without a key is kept under the key '' (a key that has no
/// NULL, so the row can be upserted); reads turn it back into NULL.
/// </summary>
public static class InvocationRollups
{
    public const int Minute = 0;
    public const int Hour = 1;
    public const int Day = 2;

    /// <summary>Calendar months (UTC): the coarsest level, so a year's totals read twelve buckets.</summary>
    public const int Month = 3;

    public const int Levels = 4;

    private static readonly long[] Widths = [60_000, 3_600_000, 86_400_000];

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
    public static UsageAggregate Of(InvocationRecord r) => new(
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
        return ms - (((ms % width) + width) % width);
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
