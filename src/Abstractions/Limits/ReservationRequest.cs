namespace LlmRouter.Abstractions.Limits;

/// <summary>The windows and budget one call charges together; <see cref="Id"/> names the ledger entry if one is needed.</summary>
public sealed record ReservationRequest(string Id, IReadOnlyList<WindowCharge> Windows, BudgetCharge? Budget)
{
    /// <summary>True when settlement has something to give back: a token window or a budget.</summary>
    public bool NeedsLedger => Budget is not null || Windows.Any(w => w.Settles);
}
