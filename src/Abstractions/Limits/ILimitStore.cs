using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Abstractions.Limits;

/// <summary>
/// Where grain limit state lives. Each method is one atomic operation on the store (one statement or one batched
/// round trip), so any number of nodes sharing the store see exact limits without knowing of each other.
/// </summary>
public interface ILimitStore
{
    /// <summary>Charges every window and the budget, or none of them, and records a ledger entry when something must be settled.</summary>
    ValueTask<ReservationOutcome> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Applies settlements: usage counters, and for ledger entries still open the token and budget differences.</summary>
    ValueTask SettleAsync(IReadOnlyList<UsageSettlement> settlements, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases up to <paramref name="limit"/> ledger entries created before <paramref name="olderThan"/> (oldest first),
    /// whose node never settled them (killed mid-call), as calls of unknown usage that are not counted: windows keep
    /// their charge, a budget's reserved money becomes spent, and the id is marked settled so a late settlement changes
    /// nothing. Usage counters are left alone (the call is not in the invocation log). Returns how many were released.
    /// </summary>
    ValueTask<int> ReleaseStaleAsync(DateTimeOffset olderThan, int limit, CancellationToken cancellationToken = default);

    ValueTask<UsageCounters> GetUsageAsync(UsageScope scope, string id, CancellationToken cancellationToken = default);

    ValueTask<BudgetState> GetBudgetAsync(string keyId, BudgetPeriod period, CancellationToken cancellationToken = default);
}
