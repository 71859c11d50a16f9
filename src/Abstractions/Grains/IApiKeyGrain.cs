namespace LlmRouter.Abstractions.Grains;

/// <summary>One client API key, keyed by the key's id (never its secret): owns its windows, budget and usage counters.</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Admits a call as a whole: the key's windows and budget and the target model's windows in one batched store
    /// operation; when any of them refuses, nothing stays reserved.
    /// </summary>
    ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default);

    ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default);

    /// <summary>Money spent and still reserved in the current day or month (by the store's clock).</summary>
    ValueTask<BudgetStatus> GetBudgetAsync(BudgetPeriod period, CancellationToken cancellationToken = default);
}
