namespace LlmRouter.Api.Json;

/// <summary>One bucket of a time series: its UTC start, its totals, and the same split by group when grouped.</summary>
public sealed record TimeBucketView
{
    public DateTimeOffset Start { get; init; }
    public long Requests { get; init; }
    public long Errors { get; init; }

    /// <summary>Calls the router refused itself: not in <see cref="Requests"/>.</summary>
    public long Rejected { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long TotalTokens { get; init; }
    public decimal Cost { get; init; }
    public required IReadOnlyList<UsageGroupView> Groups { get; init; }
}
