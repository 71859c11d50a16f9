namespace LlmRouter.Abstractions.Invocations;

/// <summary>One time bucket: its UTC start, its totals and, when grouped, the same split by group.</summary>
public sealed record UsageBucket(DateTimeOffset Start, UsageTotals Totals, IReadOnlyList<UsageGroup> Groups);
