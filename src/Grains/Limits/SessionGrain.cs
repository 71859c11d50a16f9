using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Grains.Limits;

/// <summary>A session's grain: its usage counters (a session has no window or budget of its own).</summary>
public sealed class SessionGrain(IUsageCounterStore counters) : Grain, ISessionGrain
{
    public ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default) =>
        counters.GetUsageAsync(UsageScope.Session, this.GetPrimaryKeyString(), cancellationToken);
}
