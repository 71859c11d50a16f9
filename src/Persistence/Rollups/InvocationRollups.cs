using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Persistence.Rollups;

/// <summary>
/// Roll-ups of the invocation log: per UTC minute, hour and day and per provider, model and API key, the sums every
/// statistics, time-series and cost answer needs (status as error and client-closed counts; averages as sums and
/// counts). They are written in the same transaction as the records they sum, so they never drift from the log, and
/// they stay when retention deletes old records. A call without a key is kept under the key '' (a key that has no
/// NULL, so the row can be upserted); reads turn it back into NULL.
/// </summary>
public static class InvocationRollups
{
    /// <summary>The bucket widths in milliseconds, finest first: the level of a roll-up row is its index here.</summary>
    public static IReadOnlyList<long> Widths { get; } = [60_000, 3_600_000, 86_400_000];

    public const int Minute = 0;
    public const int Hour = 1;
    public const int Day = 2;

    /// <summary>The roll-up rows a batch of records adds to, each with what the batch adds: every record counts once per level.</summary>
    public static IReadOnlyDictionary<RollupKey, UsageAggregate> Deltas(IReadOnlyList<InvocationRecord> records)
    {
        var deltas = new Dictionary<RollupKey, UsageAggregate>();
        foreach (var record in records)
        {
            var sums = Of(record);
            var at = record.CreatedAt.ToUnixTimeMilliseconds();
            for (var level = 0; level < Widths.Count; level++)
            {
                var key = new RollupKey(level, Floor(at, Widths[level]), record.Provider, record.Model, record.ApiKeyId ?? "", record.ApiKeyName ?? "");
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

    /// <summary>The start of the bucket of <paramref name="width"/> holding <paramref name="ms"/> (rounding down, also before 1970).</summary>
    public static long Floor(long ms, long width) => ms - (((ms % width) + width) % width);

    public static long Ceiling(long ms, long width) => Floor(ms, width) == ms ? ms : Floor(ms, width) + width;
}
