namespace LlmRouter.Abstractions.Limits;

/// <summary>A window after an admission attempt: whether it had room, and its theoretical arrival time (µs since the epoch).</summary>
public sealed record WindowOutcome(string Window, bool Admitted, long TatMicros);
