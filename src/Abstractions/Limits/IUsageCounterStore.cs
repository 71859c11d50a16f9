using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Abstractions.Limits;

/// <summary>
/// Usage counters per model, key and session, read from the invocation log (its roll-ups and records): the log is the
/// ledger, so the counters agree with it after any crash, and no call writes anything for them.
/// </summary>
public interface IUsageCounterStore
{
    ValueTask<UsageCounters> GetUsageAsync(UsageScope scope, string id, CancellationToken cancellationToken = default);
}
