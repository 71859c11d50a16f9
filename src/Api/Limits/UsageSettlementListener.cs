using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Limits;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Limits;

/// <summary>
/// Settles every finished invocation: on the grains that hold its reservation (the model's and the key's, each in its own
/// call, so no grain call chain can loop back) and in the usage counters (batched, counted once by the reservation id).
/// The invoker tells each listener exactly once per call.
/// </summary>
internal sealed partial class UsageSettlementListener(
    IGrainFactory grains, UsageCounterQueue counters, PendingSettlements pending, ILogger<UsageSettlementListener> logger) : IInvocationListener
{
    public Task OnInvocationCompleted(InvocationRecord record)
    {
        var report = new UsageReport
        {
            ModelId = record.Provider + "/" + record.Model,
            KeyId = record.ApiKeyId,
            SessionId = record.SessionId,
            Reservation = record.Reservation,
            PromptTokens = record.PromptTokens,
            CompletionTokens = record.CompletionTokens,
            CostUsd = record.Cost,
            // The upstream answered but never said how much: keep what was reserved rather than guess low.
            UsageUnknown = record.TotalTokens == 0 && (record.Status == InvocationStatus.Success || record.TimeToFirstTokenMs is not null),
        };
        var settled = SettleAsync(report);
        pending.Track(settled);
        return settled;
    }

    private async Task SettleAsync(UsageReport report)
    {
        try
        {
            // A call no token window or budget held anything for has nothing to settle on the grains.
            var held = report.Reservation is { IsHeld: true };
            var model = held ? grains.GetGrain<IModelGrain>(report.ModelId).SettleAsync(report).AsTask() : Task.CompletedTask;
            var key = held && report.KeyId is { } keyId ? grains.GetGrain<IApiKeyGrain>(keyId).SettleAsync(report).AsTask() : Task.CompletedTask;
            var counted = counters.SettleAsync(new UsageSettlement
            {
                Id = report.Reservation?.Id ?? Reservation.NewId(),
                ModelId = report.ModelId,
                KeyId = report.KeyId,
                SessionId = report.SessionId,
                PromptTokens = report.PromptTokens,
                CompletionTokens = report.CompletionTokens,
                CostNanoUsd = NanoUsd.From(report.CostUsd),
            });
            await Task.WhenAll(model, key, counted).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogSettlementLost(logger, exception, report.ModelId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The usage of a call to {Model} could not be settled")]
    private static partial void LogSettlementLost(ILogger logger, Exception exception, string model);
}
