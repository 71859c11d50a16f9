using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Abstractions.Limits;

/// <summary>
/// Usage counters per model, key and session, kept next to the invocation log they must agree with: written in
/// batches off the admission path, each settlement applied at most once (by its id), so a node killed mid-batch or a
/// retried write never counts a call twice.
/// </summary>
public interface IUsageCounterStore
{
    /// <summary>Adds each settlement's figures to its model's, key's and session's counters; an id already counted is skipped.</summary>
    ValueTask AddAsync(IReadOnlyList<UsageSettlement> settlements, CancellationToken cancellationToken = default);

    ValueTask<UsageCounters> GetUsageAsync(UsageScope scope, string id, CancellationToken cancellationToken = default);
}
