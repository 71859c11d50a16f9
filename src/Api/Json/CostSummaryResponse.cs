namespace LlmRouter.Api.Json;

/// <summary>What GET /cost/summary answers: totals over the range, the average per day, and the split by provider.</summary>
public sealed record CostSummaryResponse
{
    public required string Currency { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public int Days { get; init; }
    public long TotalRequests { get; init; }
    public long TotalPromptTokens { get; init; }
    public long TotalCompletionTokens { get; init; }
    public long TotalTokens { get; init; }
    public decimal TotalCost { get; init; }
    public decimal AverageDailyCost { get; init; }
    public required IReadOnlyList<UsageGroupView> ByProvider { get; init; }
}
