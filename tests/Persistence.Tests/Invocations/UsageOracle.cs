using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>
/// What every statistics query must answer, computed from the logged records themselves (as the stores did before
/// roll-ups): the reference the roll-up answers are compared with.
/// </summary>
internal static class UsageOracle
{
    private static readonly Comparer<string?> Bytewise = Comparer<string?>.Create(string.CompareOrdinal);

    public static UsageTotals Totals(IReadOnlyList<InvocationRecord> records, UsageRange range) => Sum(records.Where(r => In(r, range)).ToList());

    public static IReadOnlyList<UsageGroup> Breakdown(
        IReadOnlyList<InvocationRecord> records, UsageRange range, UsageDimension dimension, UsageOrder order, int limit)
    {
        var groups = Groups(records.Where(r => In(r, range)), dimension);
        var ranked = order == UsageOrder.Cost
            ? groups.OrderByDescending(g => g.Totals.Cost).ThenByDescending(g => g.Totals.Requests)
            : groups.OrderByDescending(g => g.Totals.Requests).ThenByDescending(g => g.Totals.Cost);
        return ranked.ThenBy(First, Bytewise).ThenBy(Second, Bytewise).Take(limit).ToArray();
    }

    public static IReadOnlyList<UsageBucket> Series(IReadOnlyList<InvocationRecord> records, UsageRange range, TimeBucketSize size, UsageDimension? groupBy) =>
        records.Where(r => In(r, range))
            .GroupBy(r => BucketStart(r.CreatedAt, size))
            .OrderBy(b => b.Key)
            .Select(b => new UsageBucket(b.Key, Sum(b.ToList()),
                groupBy is { } dimension ? Groups(b, dimension).OrderBy(First, Bytewise).ThenBy(Second, Bytewise).ToArray() : []))
            .ToArray();

    private static bool In(InvocationRecord r, UsageRange range) =>
        (range.Start is not { } start || r.CreatedAt >= start) && (range.End is not { } end || r.CreatedAt < end)
        && (range.ApiKeyId is null || r.ApiKeyId == range.ApiKeyId);

    private static List<UsageGroup> Groups(IEnumerable<InvocationRecord> records, UsageDimension dimension) => dimension switch
    {
        UsageDimension.Model => records.GroupBy(r => (r.Provider, r.Model))
            .Select(g => new UsageGroup(Sum(g.ToList())) { Provider = g.Key.Provider, Model = g.Key.Model }).ToList(),
        UsageDimension.Provider => records.GroupBy(r => r.Provider)
            .Select(g => new UsageGroup(Sum(g.ToList())) { Provider = g.Key }).ToList(),
        _ => records.GroupBy(r => (r.ApiKeyId, r.ApiKeyName))
            .Select(g => new UsageGroup(Sum(g.ToList())) { ApiKeyId = g.Key.ApiKeyId, ApiKeyName = g.Key.ApiKeyName }).ToList(),
    };

    private static string? First(UsageGroup g) => g.Provider ?? g.ApiKeyId;

    private static string? Second(UsageGroup g) => g.Provider is null ? g.ApiKeyName : g.Model;

    private static UsageTotals Sum(List<InvocationRecord> records)
    {
        if (records.Count == 0)
        {
            return UsageTotals.Empty;
        }
        // A call the router refused is counted apart: it is no request made, and its latency is no upstream's.
        var made = records.Where(r => r.Status != InvocationStatus.Rejected).ToList();
        var streamed = records.Where(r => r.TimeToFirstTokenMs is not null).ToList();
        return new UsageTotals
        {
            Requests = made.Count,
            Errors = records.Count(r => r.Status == InvocationStatus.Error),
            ClientClosed = records.Count(r => r.Status == InvocationStatus.ClientClosed),
            Rejected = records.Count(r => r.Status == InvocationStatus.Rejected),
            PromptTokens = records.Sum(r => r.PromptTokens),
            CompletionTokens = records.Sum(r => r.CompletionTokens),
            Cost = CostUnits.FromNanoUsd(records.Sum(r => CostUnits.ToNanoUsd(r.Cost))),
            AvgLatencyMs = made.Count == 0 ? null : (double)made.Sum(r => r.LatencyMs) / made.Count,
            AvgTimeToFirstTokenMs = streamed.Count == 0 ? null : (double)streamed.Sum(r => r.TimeToFirstTokenMs!.Value) / streamed.Count,
        };
    }

    private static DateTimeOffset BucketStart(DateTimeOffset at, TimeBucketSize size)
    {
        var t = at.UtcDateTime;
        return new DateTimeOffset(size switch
        {
            TimeBucketSize.Hour => new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc),
            TimeBucketSize.Day => t.Date,
            TimeBucketSize.Week => t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)),
            _ => new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc),
        }, TimeSpan.Zero);
    }
}
