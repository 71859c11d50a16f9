using LlmRouter.Abstractions.Limits;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Grains.Limits;

/// <summary>
/// An API key's grain: admits the key's windows and budget, then asks the model's grain, and takes its own charge back
/// when the model refuses. The key's turn lasts until the model answers, so no other call of the key slips in between;
/// calls that arrive together (one batch from a front-end) ask each model once.
/// </summary>
public sealed class ApiKeyGrain(
    [PersistentState("key", LimitGrainOptions.StorageName)] IPersistentState<LimitState> state,
    IUsageCounterStore counters, LimitGrainOptions options, TimeProvider time, ILogger<ApiKeyGrain> logger)
    : LimitGrain(state, counters, options, time, logger), IApiKeyGrain
{
    // Grain references are built by reflection-backed activation: one per model this key calls, for the activation's life.
    private readonly Dictionary<string, IModelGrain> _models = new(StringComparer.Ordinal);

    public async ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default) =>
        (await AdmitManyAsync([request], cancellationToken))[0];

    public async ValueTask<Admission[]> AdmitManyAsync(AdmissionRequest[] requests, CancellationToken cancellationToken = default)
    {
        var own = new Admission[requests.Length];
        var charged = new ReservationRequest?[requests.Length];
        var refused = false;
        for (var i = 0; i < requests.Length; i++)
        {
            own[i] = Admit(AdmissionPlan.ForKey(Keys, requests[i]), Reservation.NewId(), out charged[i]);
            refused |= !own[i].IsAcquired;
        }
        if (refused && requests.Length > 1)
        {
            // Had an earlier call been refused by its model, its charge would have been taken back before this one was
            // decided: with a refusal in the batch, decide the calls one at a time instead.
            UndoCharges(charged);
            var answers = new Admission[requests.Length];
            for (var i = 0; i < requests.Length; i++)
            {
                answers[i] = (await AdmitManyAsync([requests[i]], cancellationToken))[0];
            }
            return answers;
        }
        // Every call the key admitted holds its charge while the models decide, and a model's refusal takes it back: as
        // each would have fitted with those charges, it fits without them too, so the answers are those of one at a time.
        try
        {
            foreach (var model in requests.Select(r => r.ModelId).Distinct(StringComparer.Ordinal))
            {
                var indexes = Enumerable.Range(0, requests.Length).Where(i => own[i].IsAcquired && requests[i].ModelId == model).ToArray();
                if (indexes.Length == 0)
                {
                    continue;
                }
                // No cancellation token goes on: admission takes microseconds, and a cancellable call costs a subscription.
                var answers = await ModelGrain(model).AdmitManyAsync(
                    [.. indexes.Select(i => requests[i] with { ReservationId = own[i].Reservation!.Id })], CancellationToken.None);
                for (var j = 0; j < indexes.Length; j++)
                {
                    var i = indexes[j];
                    own[i] = Combine(own[i], answers[j], charged[i]);
                    charged[i] = null;
                }
            }
        }
        catch
        {
            UndoCharges(charged);
            throw;
        }
        return own;
    }

    /// <summary>The key's answer and the model's as one: the model's refusal (the key's charge taken back), or both windows' tightest.</summary>
    private Admission Combine(Admission own, Admission model, ReservationRequest? charged)
    {
        if (!model.IsAcquired)
        {
            UndoCharges([charged]);
            return model;
        }
        return model with
        {
            Requests = Tighter(own.Requests, model.Requests),
            Tokens = Tighter(own.Tokens, model.Tokens),
            Reservation = new Reservation(own.Reservation!.Id, own.Reservation.IsHeld || model.Reservation!.IsHeld,
                Math.Max(own.Reservation.Tokens, model.Reservation!.Tokens), own.Reservation.CostUsd),
        };
    }

    protected override UsageScope Scope => UsageScope.ApiKey;

    private protected override WindowKeys NewKeys(string id) => WindowKeys.Key(id);

    public ValueTask<Admission[]> SettleAndAdmitAsync(UsageReport[] reports, AdmissionRequest[] requests, CancellationToken cancellationToken = default)
    {
        Settle(reports);
        return requests.Length == 0 ? ValueTask.FromResult(Array.Empty<Admission>()) : AdmitManyAsync(requests, cancellationToken);
    }

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

    /// <summary>Takes back the charges still held, latest first.</summary>
    private void UndoCharges(ReservationRequest?[] charged)
    {
        for (var i = charged.Length - 1; i >= 0; i--)
        {
            if (charged[i] is { } charge)
            {
                Undo(charge);
                charged[i] = null;
            }
        }
    }

    private static LimitStatus? Tighter(LimitStatus? a, LimitStatus? b) => a is null ? b : b is null || a.Remaining <= b.Remaining ? a : b;
}
