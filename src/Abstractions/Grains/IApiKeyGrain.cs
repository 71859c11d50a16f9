namespace LlmRouter.Abstractions.Grains;

/// <summary>One client API key, keyed by the key's id (never its secret): owns its windows, budget and usage counters.</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Admits a call as a whole: the key's windows and budget, then the target model's windows through the model's
    /// grain; when any of them refuses, nothing stays reserved.
    /// </summary>
    ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Admits calls exactly as that many <see cref="AdmitAsync"/> calls in the order given would, asking each model's grain
    /// once for all of them when the key admits them all (one grain call per hop under load).
    /// </summary>
    ValueTask<Admission[]> AdmitManyAsync(AdmissionRequest[] requests, CancellationToken cancellationToken = default);

    /// <summary>
    /// Settles <paramref name="reports"/> as <see cref="SettleAsync"/> does, then admits <paramref name="requests"/> as
    /// <see cref="AdmitManyAsync"/> does: a front-end's settlements ride with its next admissions, one grain call for both.
    /// </summary>
    ValueTask<Admission[]> SettleAndAdmitAsync(UsageReport[] reports, AdmissionRequest[] requests, CancellationToken cancellationToken = default);

    /// <summary>Settles finished invocations of this key (many per call under load): token windows and budget trade each reservation for the actual usage.</summary>
    ValueTask SettleAsync(UsageReport[] reports, CancellationToken cancellationToken = default);

    ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default);

    /// <summary>Money spent and still reserved in the current day or month (UTC).</summary>
    ValueTask<BudgetStatus> GetBudgetAsync(BudgetPeriod period, CancellationToken cancellationToken = default);
}
