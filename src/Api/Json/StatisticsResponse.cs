namespace LlmRouter.Api.Json;

/// <summary>What GET /monitor/statistics answers for the last <c>time_range_hours</c>.</summary>
public sealed record StatisticsResponse
{
    public int TimeRangeHours { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public long TotalRequests { get; init; }
    public long SuccessfulRequests { get; init; }
    public long FailedRequests { get; init; }
    public long ClientClosedRequests { get; init; }

    /// <summary>Calls the router refused itself (limits, key policy, bad requests): not in <see cref="TotalRequests"/> nor the rates.</summary>
    public long RejectedRequests { get; init; }
    public long TotalTokens { get; init; }
    public long TotalPromptTokens { get; init; }
    public long TotalCompletionTokens { get; init; }
    public decimal TotalCost { get; init; }
    public double AvgLatencyMs { get; init; }
    public double? AvgTimeToFirstTokenMs { get; init; }
    public double ErrorRate { get; init; }

    /// <summary>Rejected calls as a share of all calls, made or refused.</summary>
    public double RejectedRate { get; init; }
    public required IReadOnlyList<UsageGroupView> ByModel { get; init; }
    public required IReadOnlyList<UsageGroupView> ByProvider { get; init; }
    public required IReadOnlyList<UsageGroupView> ByApiKey { get; init; }
}
