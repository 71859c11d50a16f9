using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Grains.Limits;

/// <summary>A model's grain: its state is rows in the limit store, so any node may call it at any time.</summary>
internal sealed class ModelGrain(string modelId, ILimitStore store, UsageSettlementQueue settlements) : IModelGrain
{
    public ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default) =>
        LimitAdmission.AdmitAsync(store, modelId, keyId: null, request, cancellationToken);

    public ValueTask SettleAsync(UsageReport report, CancellationToken cancellationToken = default)
    {
        var reservation = report.Reservation ?? Reservation.Nothing();
        return new ValueTask(settlements.SettleAsync(new UsageSettlement
        {
            Id = reservation.Id,
            HasLedger = reservation.IsHeld,
            HoldsMoney = reservation.IsHeld && reservation.CostUsd > 0,
            ModelId = modelId,
            KeyId = report.KeyId,
            SessionId = report.SessionId,
            PromptTokens = report.PromptTokens,
            CompletionTokens = report.CompletionTokens,
            CostNanoUsd = NanoUsd.From(report.CostUsd),
            KeepReservation = report.UsageUnknown,
        }).WaitAsync(cancellationToken));
    }

    public ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default) =>
        store.GetUsageAsync(UsageScope.Model, modelId, cancellationToken);
}
