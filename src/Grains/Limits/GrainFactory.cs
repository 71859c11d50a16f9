using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Grains.Limits;

/// <summary>
/// Hands out grain references. A grain here is its identity plus the store: references are cheap, hold no state and
/// may be created per call; the store's row locks give each grain's methods their one-at-a-time turns.
/// </summary>
public sealed class GrainFactory(ILimitStore store, UsageSettlementQueue settlements) : IGrainFactory
{
    public TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        object grain = typeof(TGrain) == typeof(IModelGrain) ? new ModelGrain(key, store, settlements)
            : typeof(TGrain) == typeof(IApiKeyGrain) ? new ApiKeyGrain(key, store)
            : typeof(TGrain) == typeof(ISessionGrain) ? new SessionGrain(key, store)
            : throw new NotSupportedException($"No grain implements {typeof(TGrain).Name}.");
        return (TGrain)grain;
    }
}
