using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Grains.Limits;

/// <summary>An API key's grain: admits the key's calls together with their model's windows in one store round trip.</summary>
internal sealed class ApiKeyGrain(string keyId, ILimitStore store) : IApiKeyGrain
{
    public ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default) =>
        LimitAdmission.AdmitAsync(store, request.ModelId, keyId, request, cancellationToken);

    public ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default) =>
        store.GetUsageAsync(UsageScope.ApiKey, keyId, cancellationToken);

    public async ValueTask<BudgetStatus> GetBudgetAsync(BudgetPeriod period, CancellationToken cancellationToken = default)
    {
        var state = await store.GetBudgetAsync(keyId, period, cancellationToken).ConfigureAwait(false);
        return new BudgetStatus(period, NanoUsd.ToUsd(state.SpentNanoUsd), NanoUsd.ToUsd(state.ReservedNanoUsd),
            DateTimeOffset.UnixEpoch + GcraWindow.Micros(state.PeriodEndMicros));
    }
}
