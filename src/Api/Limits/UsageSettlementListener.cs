using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Limits;

/// <summary>
/// Settles every finished invocation on its model's grain (which also counts it for the key and session). The
/// invoker tells each listener exactly once per call, and the settlement id makes the store apply it at most once.
/// </summary>
internal sealed partial class UsageSettlementListener(IGrainFactory grains, ILogger<UsageSettlementListener> logger) : IInvocationListener
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
        var settled = grains.GetGrain<IModelGrain>(report.ModelId).SettleAsync(report);
        return settled.IsCompletedSuccessfully ? Task.CompletedTask : ObserveAsync(settled, report.ModelId);
    }

    private async Task ObserveAsync(ValueTask settled, string model)
    {
        try
        {
            await settled.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogSettlementLost(logger, exception, model);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The usage of a call to {Model} could not be settled")]
    private static partial void LogSettlementLost(ILogger logger, Exception exception, string model);
}
