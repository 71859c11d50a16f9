namespace LlmRouter.Abstractions.Invocations;

/// <summary>
/// Aggregates over the invocation log, computed by the store (never by loading rows): totals, breakdowns and
/// time buckets for the monitoring and cost APIs. Times are UTC; a range's start is inclusive, its end exclusive.
/// </summary>
public interface IInvocationStatistics
{
    ValueTask<UsageTotals> GetTotalsAsync(UsageRange range, CancellationToken cancellationToken = default);

    /// <summary>The <paramref name="limit"/> largest groups by <paramref name="order"/>, ties broken by key.</summary>
    ValueTask<IReadOnlyList<UsageGroup>> GetBreakdownAsync(
        UsageRange range, UsageDimension dimension, UsageOrder order, int limit, CancellationToken cancellationToken = default);

    /// <summary>Non-empty buckets in time order; each splits into groups when <paramref name="groupBy"/> is set.</summary>
    ValueTask<IReadOnlyList<UsageBucket>> GetTimeSeriesAsync(
        UsageRange range, TimeBucketSize size, UsageDimension? groupBy, CancellationToken cancellationToken = default);
}
