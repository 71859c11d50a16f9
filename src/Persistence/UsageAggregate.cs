namespace LlmRouter.Persistence;

/// <summary>
/// The raw sums a store returns for a set of invocations. They add up exactly (integers throughout), so buckets
/// can be built from their groups; averages are taken only at the end.
/// </summary>
public readonly record struct UsageAggregate(
    long Requests, long Errors, long ClientClosed, long PromptTokens, long CompletionTokens, long CostNanoUsd,
    long LatencyMsSum, long TtftCount, long TtftMsSum, long Rejected = 0)
{
    public static UsageAggregate operator +(UsageAggregate a, UsageAggregate b) => new(
        a.Requests + b.Requests, a.Errors + b.Errors, a.ClientClosed + b.ClientClosed, a.PromptTokens + b.PromptTokens,
        a.CompletionTokens + b.CompletionTokens, a.CostNanoUsd + b.CostNanoUsd, a.LatencyMsSum + b.LatencyMsSum,
        a.TtftCount + b.TtftCount, a.TtftMsSum + b.TtftMsSum, a.Rejected + b.Rejected);

    public UsageAggregate Add(UsageAggregate other) => this + other;

    public UsageTotals ToTotals() => Requests == 0 && Rejected == 0 ? UsageTotals.Empty : new UsageTotals
    {
        Requests = Requests,
        Errors = Errors,
        ClientClosed = ClientClosed,
        Rejected = Rejected,
        PromptTokens = PromptTokens,
        CompletionTokens = CompletionTokens,
        Cost = CostUnits.FromNanoUsd(CostNanoUsd),
        AvgLatencyMs = Requests == 0 ? null : (double)LatencyMsSum / Requests,
        AvgTimeToFirstTokenMs = TtftCount == 0 ? null : (double)TtftMsSum / TtftCount,
    };
}
