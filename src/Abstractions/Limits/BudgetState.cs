namespace LlmRouter.Abstractions.Limits;

/// <summary>A key's budget row in one period, in nano-USD, and when the period ends (µs since the epoch).</summary>
public sealed record BudgetState(long SpentNanoUsd, long ReservedNanoUsd, long PeriodEndMicros);
