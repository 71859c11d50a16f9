namespace LlmRouter.Abstractions.Limits;

/// <summary>
/// The windows and budget one call charges together; <see cref="Id"/> names the ledger entry, held when settlement has
/// something to give back (a token window or a budget).
/// </summary>
public sealed record ReservationRequest(string Id, IReadOnlyList<WindowCharge> Windows, BudgetCharge? Budget);
