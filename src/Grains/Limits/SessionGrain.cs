using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Grains.Limits;

/// <summary>A session's grain: its usage counters (settled together with the model's).</summary>
internal sealed class SessionGrain(string sessionId, ILimitStore store) : ISessionGrain
{
    public ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default) =>
        store.GetUsageAsync(UsageScope.Session, sessionId, cancellationToken);
}
