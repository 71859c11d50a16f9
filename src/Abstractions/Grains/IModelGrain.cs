namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// One model, keyed <c>"provider/model"</c>: owns the model's request and token windows and its usage counters.
/// Every invocation of the model is settled here, with the key and session counters in the same store write.
/// </summary>
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Admits an anonymous call against the model's windows (keyed calls go through <see cref="IApiKeyGrain"/>).</summary>
    ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Settles one finished invocation: actual usage replaces what was reserved; applied at most once per reservation.</summary>
    ValueTask SettleAsync(UsageReport report, CancellationToken cancellationToken = default);

    ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default);
}
