namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// One model, keyed <c>"provider/model"</c>: owns the model's request and token windows and its usage counters, in
/// memory, one activation in the cluster.
/// </summary>
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>
    /// Admits a call against the model's windows: an anonymous call directly, a keyed one from its key's grain (which has
    /// admitted the key's own limits first). A refusal holds nothing.
    /// </summary>
    ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Admits calls one after another in the order given, as that many <see cref="AdmitAsync"/> calls would (one grain call under load).</summary>
    ValueTask<Admission[]> AdmitManyAsync(AdmissionRequest[] requests, CancellationToken cancellationToken = default);

    /// <summary>
    /// Settles <paramref name="reports"/> as <see cref="SettleAsync"/> does, then admits <paramref name="requests"/> as
    /// <see cref="AdmitManyAsync"/> does: a front-end's settlements ride with its next admissions, one grain call for both.
    /// </summary>
    ValueTask<Admission[]> SettleAndAdmitAsync(UsageReport[] reports, AdmissionRequest[] requests, CancellationToken cancellationToken = default);

    /// <summary>Settles finished invocations (many per call under load): their token windows trade what was reserved for the actual usage.</summary>
    ValueTask SettleAsync(UsageReport[] reports, CancellationToken cancellationToken = default);

    ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default);
}
