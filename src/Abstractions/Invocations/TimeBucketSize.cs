namespace LlmRouter.Abstractions.Invocations;

/// <summary>The width of a time-series bucket; buckets start on UTC boundaries (weeks on Mondays).</summary>
public enum TimeBucketSize
{
    Hour,
    Day,
    Week,
    Month,
}
