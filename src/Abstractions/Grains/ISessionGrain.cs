namespace LlmRouter.Abstractions.Grains;

/// <summary>One login session, keyed by its public id: the session's usage counters.</summary>
public interface ISessionGrain : IGrainWithStringKey
{
    ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default);
}
