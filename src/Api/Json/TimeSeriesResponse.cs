namespace LlmRouter.Api.Json;

/// <summary>What GET /monitor/time-series answers: the non-empty buckets between start and end, oldest first.</summary>
public sealed record TimeSeriesResponse(string Granularity, string? GroupBy, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<TimeBucketView> Buckets);
