namespace LlmRouter.Abstractions.Limits;

/// <summary>
/// The result of a grain ledger's reservation: admitted only if every window and the budget were; the
/// ledger's clock reading, each window's state (charged when admitted, untouched otherwise) and the budget's.
/// </summary>
public sealed record ReservationOutcome(bool Admitted, long NowMicros, IReadOnlyList<WindowOutcome> Windows)
{
    public BudgetState? Budget { get; init; }

    /// <summary>False when the budget (if any) had no room.</summary>
    public bool BudgetAdmitted { get; init; } = true;
}
