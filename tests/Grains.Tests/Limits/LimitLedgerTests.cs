using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Grains.Limits;

namespace LlmRouter.Grains.Tests.Limits;

/// <summary>
/// The arithmetic a limit grain runs on its state (formerly the stores' conformance facts): GCRA windows refill one
/// unit per emission interval, a refusal charges nothing, token reservations settle to the actual usage once, budgets
/// hold money until settled and start empty in the next period, stale reservations are released as spent.
/// </summary>
public sealed class LimitLedgerTests
{
    private static readonly long Start = GcraWindow.ToMicros(new DateTimeOffset(2026, 5, 6, 23, 0, 0, TimeSpan.Zero));
    private static readonly long Second = GcraWindow.MicrosPerSecond;

    private readonly LimitState _state = new();

    private LimitLedger Ledger => new(_state);

    [Fact]
    public void A_full_window_refills_one_request_per_emission_interval()
    {
        var request = new AdmissionRequest { ModelId = "m", ModelLimit = new RateLimitConfig { MaxRequests = 3, PerSeconds = 30 } };

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => Admit(request, Start).IsAcquired));
        Assert.False(Admit(request, Start + 9 * Second).IsAcquired);
        Assert.True(Admit(request, Start + 10 * Second).IsAcquired);
        Assert.False(Admit(request, Start + 10 * Second).IsAcquired);
    }

    [Fact]
    public void A_refusal_by_one_window_charges_none_of_the_others()
    {
        var limit = new RateLimitConfig { MaxRequests = 10, PerSeconds = 60, TokensPerMinute = 100 };
        var big = new AdmissionRequest { ModelId = "m", ModelLimit = limit, ReserveTokens = 80 };

        Assert.True(Admit(big, Start).IsAcquired);
        var refused = Admit(big, Start);

        Assert.Equal(LimitKind.ModelTokens, refused.RefusedBy);
        // The refused call took no request: after the third, two of ten are used.
        Assert.Equal(8, Admit(big with { ReserveTokens = 1 }, Start).Requests!.Remaining);
    }

    [Fact]
    public void Settlement_gives_back_unused_tokens_once_and_charges_usage_above_the_reservation()
    {
        var request = new AdmissionRequest { ModelId = "m", ModelLimit = new RateLimitConfig { TokensPerMinute = 120 }, ReserveTokens = 71 };
        var first = Admit(request, Start);
        Assert.Equal(120 - 71, first.Tokens!.Remaining);

        var settled = Report(first, prompt: 11, completion: 4);
        Assert.True(Ledger.Settle(settled));
        Assert.False(Ledger.Settle(settled));

        var second = Admit(request with { ReserveTokens = 10 }, Start);
        Assert.Equal(120 - 15 - 10, second.Tokens!.Remaining);
        Ledger.Settle(Report(second, prompt: 30, completion: 10));
        Assert.Equal(120 - 15 - 40, Admit(request with { ReserveTokens = 0 }, Start).Tokens!.Remaining);
    }

    [Fact]
    public void Unknown_usage_keeps_the_whole_reservation()
    {
        var request = new AdmissionRequest { ModelId = "m", ModelLimit = new RateLimitConfig { TokensPerMinute = 120 }, ReserveTokens = 71 };
        var admitted = Admit(request, Start);

        Ledger.Settle(Report(admitted, 0, 0) with { UsageUnknown = true });

        Assert.Equal(120 - 71, Admit(request with { ReserveTokens = 0 }, Start).Tokens!.Remaining);
    }

    [Fact]
    public void A_budget_holds_money_until_settled_and_starts_empty_in_the_next_period()
    {
        var request = new AdmissionRequest { ModelId = "m", KeyBudget = new BudgetConfig { LimitUsd = 0.05m, Period = "day" }, ReserveCostUsd = 0.02m };
        var first = Admit(request, Start, key: true);
        var second = Admit(request, Start, key: true);
        var third = Admit(request, Start, key: true);
        Assert.Equal((true, true, LimitKind.KeyBudget), (first.IsAcquired, second.IsAcquired, third.RefusedBy));
        Assert.Equal(TimeSpan.FromHours(1), third.RetryAfter);

        Ledger.Settle(Report(first, 10, 10) with { CostUsd = 0.005m });
        Assert.Equal((5_000_000L, 20_000_000L), Money(Start));
        Assert.True(Admit(request, Start, key: true).IsAcquired);

        var nextDay = Start + 3600 * Second;
        Assert.Equal((0L, 0L), Money(nextDay));
        Assert.True(Admit(request with { ReserveCostUsd = 0.05m }, nextDay, key: true).IsAcquired);

        (long, long) Money(long now) => Ledger.Budget(BudgetPeriod.Day, now) is var b ? (b.SpentNanoUsd, b.ReservedNanoUsd) : default;
    }

    [Fact]
    public void A_stale_reservation_is_released_as_spent_and_a_late_settlement_changes_nothing()
    {
        var request = new AdmissionRequest { ModelId = "m", KeyBudget = new BudgetConfig { LimitUsd = 1m, Period = "month" }, ReserveCostUsd = 0.3m };
        var stale = Admit(request, Start, key: true);
        var fresh = Admit(request, Start + 600 * Second, key: true);

        Assert.Equal(1, Ledger.ReleaseStale(Start + Second));
        Ledger.Settle(Report(stale, 1, 1) with { CostUsd = 0.01m });

        var budget = Ledger.Budget(BudgetPeriod.Month, Start + 700 * Second);
        Assert.Equal((300_000_000L, 300_000_000L), (budget.SpentNanoUsd, budget.ReservedNanoUsd));
        Assert.True(fresh.IsAcquired);
    }

    private Admission Admit(AdmissionRequest request, long now, bool key = false)
    {
        var plan = key ? AdmissionPlan.ForKey(WindowKeys.Key("k"), request) : AdmissionPlan.ForModel(WindowKeys.Model(request.ModelId), request);
        var id = Reservation.NewId();
        return plan.RefuseOversized() ?? plan.Interpret(Ledger.Reserve(plan.ToReservation(id), now), id);
    }

    private static UsageReport Report(Admission admission, long prompt, long completion) =>
        new() { ModelId = "m", Reservation = admission.Reservation, PromptTokens = prompt, CompletionTokens = completion };
}
