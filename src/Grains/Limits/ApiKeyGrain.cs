using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Grains.Limits;

/// <summary>
/// An API key's grain: admits the key's windows and budget, then asks the model's grain, and takes its own charge back
/// when the model refuses. The key's turn lasts until the model answers, so no other call of the key slips in between.
/// </summary>
public sealed class ApiKeyGrain(
    [PersistentState("key", LimitGrainOptions.StorageName)] IPersistentState<LimitState> state,
    IUsageCounterStore counters, LimitGrainOptions options, TimeProvider time, ILogger<ApiKeyGrain> logger)
    : LimitGrain(state, counters, options, time, logger), IApiKeyGrain
{
    // Grain references are built by reflection-backed activation: one per model this key calls, for the activation's life.
    private readonly Dictionary<string, IModelGrain> _models = new(StringComparer.Ordinal);

    public async ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default)
    {
        var id = Reservation.NewId();
        var own = Admit(AdmissionPlan.ForKey(Keys, request), id, out var charged);
        if (!own.IsAcquired)
        {
            return own;
        }
        Admission model;
        try
        {
            // No cancellation token goes on: admission takes microseconds, and a cancellable call costs a subscription.
            model = await ModelGrain(request.ModelId).AdmitAsync(request with { ReservationId = id }, CancellationToken.None);
        }
        catch
        {
            UndoCharge(charged);
            throw;
        }
        if (!model.IsAcquired)
        {
            UndoCharge(charged);
            return model;
        }
        return model with
        {
            Requests = Tighter(own.Requests, model.Requests),
            Tokens = Tighter(own.Tokens, model.Tokens),
            Reservation = new Reservation(id, own.Reservation!.IsHeld || model.Reservation!.IsHeld,
                Math.Max(own.Reservation.Tokens, model.Reservation!.Tokens), own.Reservation.CostUsd),
        };
    }

    protected override UsageScope Scope => UsageScope.ApiKey;

    private protected override WindowKeys NewKeys(string id) => WindowKeys.Key(id);

    public ValueTask SettleAsync(UsageReport[] reports, CancellationToken cancellationToken = default)
    {
        Settle(reports);
        return ValueTask.CompletedTask;
    }

    public ValueTask<BudgetStatus> GetBudgetAsync(BudgetPeriod period, CancellationToken cancellationToken = default)
    {
        var budget = Ledger.Budget(period, Now);
        return ValueTask.FromResult(new BudgetStatus(period, NanoUsd.ToUsd(budget.SpentNanoUsd), NanoUsd.ToUsd(budget.ReservedNanoUsd),
            DateTimeOffset.UnixEpoch + GcraWindow.Micros(budget.PeriodEndMicros)));
    }

    private IModelGrain ModelGrain(string modelId)
    {
        if (!_models.TryGetValue(modelId, out var grain))
        {
            grain = GrainFactory.GetGrain<IModelGrain>(modelId);
            _models[modelId] = grain;
        }
        return grain;
    }

    private void UndoCharge(ReservationRequest? charged)
    {
        if (charged is not null)
        {
            Undo(charged);
        }
    }

    private static LimitStatus? Tighter(LimitStatus? a, LimitStatus? b) => a is null ? b : b is null || a.Remaining <= b.Remaining ? a : b;
}
