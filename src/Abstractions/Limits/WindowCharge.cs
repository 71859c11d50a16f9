namespace LlmRouter.Abstractions.Limits;

/// <summary>
/// One GCRA window to charge: emission interval T (µs per unit), capacity (units a fresh window admits at once)
/// and cost in units. Admitted when <c>max(tat, now) + T·cost − now ≤ T·capacity</c>; then <c>tat := max(tat, now) + T·cost</c>.
/// <see cref="Settles"/> windows (tokens) are corrected by the settlement to the actual cost.
/// </summary>
public sealed record WindowCharge(string Window, long IntervalMicros, long Capacity, long Cost, bool Settles);
