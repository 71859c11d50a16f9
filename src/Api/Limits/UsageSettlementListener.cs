using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Limits;

/// <summary>
/// Settles every finished invocation that held something on the grains that hold it (the model's and the key's, each in
/// its own call, so no grain call chain can loop back), batched per grain by <see cref="PendingSettlements"/>. Usage
/// counters need nothing here: they are read from the invocation log. The invoker tells each listener exactly once per call.
/// </summary>
internal sealed class UsageSettlementListener(PendingSettlements settlements) : IInvocationListener
{
    public Task OnInvocationCompleted(InvocationRecord record)
    {
        // A call no token window or budget held anything for has nothing to settle on the grains.
        if (record.Reservation is not { IsHeld: true } reservation)
        {
            return Task.CompletedTask;
        }
        var report = new UsageReport
        {
            ModelId = record.Provider + "/" + record.Model,
            KeyId = record.ApiKeyId,
            SessionId = record.SessionId,
            Reservation = reservation,
            PromptTokens = record.PromptTokens,
            CompletionTokens = record.CompletionTokens,
            CostUsd = record.Cost,
            // The upstream answered but never said how much: keep what was reserved rather than guess low.
            UsageUnknown = record.TotalTokens == 0 && (record.Status == InvocationStatus.Success || record.TimeToFirstTokenMs is not null),
        };
        var model = settlements.SettleOnModel(report);
        return report.KeyId is { } keyId ? Task.WhenAll(model, settlements.SettleOnKey(keyId, report)) : model;
    }
}
