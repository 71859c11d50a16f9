namespace LlmRouter.Abstractions.Invocations;

/// <summary>
/// What a set of invocations added up to. Cost is exact (summed in whole nano-dollars by the store). Calls the router
/// refused itself are counted in <see cref="Rejected"/> only: <see cref="Requests"/> and the rates describe calls it made.
/// </summary>
public sealed record UsageTotals
{
    public static UsageTotals Empty { get; } = new();

    public long Requests { get; init; }
    public long Errors { get; init; }
    public long ClientClosed { get; init; }

    /// <summary>Calls the router refused itself (status rejected): not in <see cref="Requests"/>.</summary>
    public long Rejected { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long TotalTokens => PromptTokens + CompletionTokens;
    public decimal Cost { get; init; }

    /// <summary>Mean latency in milliseconds; null when there were no invocations.</summary>
    public double? AvgLatencyMs { get; init; }

    /// <summary>Mean time to first token of the streamed invocations that produced one.</summary>
    public double? AvgTimeToFirstTokenMs { get; init; }

    /// <summary>Share of invocations that ended in an error (client hang-ups are not errors).</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    /// <summary>Share of all calls, made or refused, that the router refused itself.</summary>
    public double RejectedRate => Requests + Rejected == 0 ? 0 : (double)Rejected / (Requests + Rejected);
}
