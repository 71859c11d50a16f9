using System.Globalization;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Grains.Limits;

/// <summary>
/// The windows and budget one grain charges a call against, and the reading of the ledger's answer as an <see cref="Admission"/>.
/// </summary>
internal sealed class AdmissionPlan
{
    private readonly List<PlannedWindow> _windows = new(2);
    private readonly AdmissionRequest _request;
    private readonly BudgetCharge? _budget;

    private AdmissionPlan(AdmissionRequest request, BudgetCharge? budget)
    {
        _request = request;
        _budget = budget;
    }

    /// <summary>The model's own windows: what its grain admits.</summary>
    public static AdmissionPlan ForModel(WindowKeys model, AdmissionRequest request)
    {
        var plan = new AdmissionPlan(request, null);
        plan.Add(GcraWindow.Requests(model.Requests, request.ModelLimit), LimitKind.ModelRequests, model.Scope, request.ModelLimit);
        plan.Add(GcraWindow.Tokens(model.Tokens, request.ModelLimit, request.ReserveTokens), LimitKind.ModelTokens, model.Scope, request.ModelLimit);
        return plan;
    }

    /// <summary>The key's windows and budget: what its grain admits before it asks the model's.</summary>
    public static AdmissionPlan ForKey(WindowKeys key, AdmissionRequest request)
    {
        var budget = request.KeyBudget is { } config
            ? new BudgetCharge(key.Id, BudgetPeriods.Parse(config.Period), NanoUsd.From(config.LimitUsd), NanoUsd.From(Math.Max(0m, request.ReserveCostUsd)))
            : null;
        var plan = new AdmissionPlan(request, budget);
        plan.Add(GcraWindow.Requests(key.Requests, request.KeyLimit), LimitKind.KeyRequests, key.Scope, request.KeyLimit);
        plan.Add(GcraWindow.Tokens(key.Tokens, request.KeyLimit, request.ReserveTokens), LimitKind.KeyTokens, key.Scope, request.KeyLimit);
        return plan;
    }

    public bool IsEmpty => _windows.Count == 0 && _budget is null;

    public ReservationRequest ToReservation(string id)
    {
        var charges = new WindowCharge[_windows.Count];
        for (var i = 0; i < charges.Length; i++)
        {
            charges[i] = _windows[i].Charge;
        }
        return new(id, charges, _budget);
    }

    /// <summary>A refusal no waiting can cure: the call alone needs more tokens than a token window holds.</summary>
    public Admission? RefuseOversized()
    {
        foreach (var (charge, kind, scope, _) in _windows)
        {
            if (charge.Settles && charge.Cost > charge.Capacity)
            {
                return new Admission
                {
                    IsAcquired = false,
                    RefusedBy = kind,
                    RetryAfter = TimeSpan.FromMinutes(1),
                    Message = $"Request too large for {scope}: it may use {charge.Cost} tokens, above the limit of {charge.Capacity} tokens per minute. Lower max_tokens or shorten the messages.",
                    Tokens = new LimitStatus(charge.Capacity, 0, TimeSpan.Zero),
                };
            }
        }
        return null;
    }

    public Admission Interpret(ReservationOutcome outcome, string id)
    {
        var now = outcome.NowMicros;
        LimitStatus? requests = null, tokens = null;
        var refusedBy = LimitKind.None;
        var retry = TimeSpan.Zero;
        string? message = null;
        for (var i = 0; i < _windows.Count; i++)
        {
            var (charge, kind, scope, limit) = _windows[i];
            // The ledger answers the windows in the order they were asked.
            var state = outcome.Windows[i];
            var status = new LimitStatus(charge.Capacity, GcraWindow.Remaining(charge, state.TatMicros, now), GcraWindow.ResetAfter(state.TatMicros, now));
            if (charge.Settles)
            {
                tokens = Tighter(tokens, status);
            }
            else
            {
                requests = Tighter(requests, status);
            }
            if (!outcome.Admitted && !state.Admitted && GcraWindow.RetryAfter(charge, state.TatMicros, now) is var wait && wait >= retry)
            {
                retry = wait;
                refusedBy = kind;
                message = charge.Settles
                    ? $"Rate limit reached for tokens per minute on {scope}: limit {limit.TokensPerMinute}. Try again in {Seconds(wait)} s."
                    : $"Rate limit reached for requests on {scope}: limit {limit.MaxRequests} per {limit.PerSeconds.ToString(CultureInfo.InvariantCulture)} s. Try again in {Seconds(wait)} s.";
            }
        }
        if (!outcome.Admitted && !outcome.BudgetAdmitted && _budget is not null && outcome.Budget is { } budget)
        {
            var wait = GcraWindow.Micros(Math.Max(0, budget.PeriodEndMicros - now));
            if (wait >= retry)
            {
                retry = wait;
                refusedBy = LimitKind.KeyBudget;
                message = $"Budget exhausted for this API key: {NanoUsd.ToUsd(budget.SpentNanoUsd + budget.ReservedNanoUsd).ToString(CultureInfo.InvariantCulture)} of "
                    + $"{NanoUsd.ToUsd(_budget.LimitNanoUsd).ToString(CultureInfo.InvariantCulture)} USD used or held this {BudgetPeriods.Name(_budget.Period)}. Try again after the period ends.";
            }
        }
        if (!outcome.Admitted)
        {
            return new Admission
            {
                IsAcquired = false,
                RefusedBy = refusedBy,
                RetryAfter = retry,
                Message = message ?? "Rate limit reached.",
                Requests = requests,
                Tokens = tokens,
            };
        }
        var holdsTokens = false;
        foreach (var window in _windows)
        {
            holdsTokens |= window.Charge.Settles;
        }
        return new Admission
        {
            IsAcquired = true,
            Requests = requests,
            Tokens = tokens,
            Reservation = new Reservation(id, holdsTokens || _budget is not null, holdsTokens ? _request.ReserveTokens : 0, _budget is null ? 0m : _request.ReserveCostUsd),
        };
    }

    private void Add(WindowCharge? charge, LimitKind kind, string scope, RateLimitConfig? limit)
    {
        if (charge is not null)
        {
            _windows.Add(new PlannedWindow(charge, kind, scope, limit!));
        }
    }

    private static LimitStatus Tighter(LimitStatus? current, LimitStatus candidate) =>
        current is null || candidate.Remaining < current.Remaining ? candidate : current;

    private readonly record struct PlannedWindow(WindowCharge Charge, LimitKind Kind, string Scope, RateLimitConfig Limit);

    private static long Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
}
