using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;
using LlmRouter.Persistence;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>
/// The facts every limit store must show, run against each store with the same controlled clock. Window and key
/// names are unique per test, so facts can share one database.
/// </summary>
public abstract class LimitStoreConformance
{
    private const long Hour = 3_600_000_000;
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12] + ":";

    protected ManualClock Clock { get; } = new();

    protected abstract Task<ILimitStore> StoreAsync();

    private long Now => UnixMicros.From(Clock.GetUtcNow());

    [StoreFact]
    public async Task A_fresh_window_admits_its_capacity_and_then_refuses()
    {
        var store = await StoreAsync();
        var window = Requests("model", perHour: 40);
        var outcomes = new List<ReservationOutcome>();
        for (var i = 0; i < 45; i++)
        {
            outcomes.Add(await store.ReserveAsync(Request(window)));
        }
        Assert.Equal(40, outcomes.Count(o => o.Admitted));
        Assert.All(outcomes.Take(40), o => Assert.True(o.Admitted));
        var refused = outcomes[40];
        Assert.False(refused.Admitted);
        Assert.Equal(Now, refused.NowMicros);
        var state = Assert.Single(refused.Windows);
        Assert.False(state.Admitted);
        Assert.Equal(Now + 40 * window.IntervalMicros, state.TatMicros);
        Assert.Equal(Now + 40 * window.IntervalMicros, outcomes[39].Windows[0].TatMicros);
    }

    [StoreFact]
    public async Task Concurrent_reservations_admit_exactly_the_capacity()
    {
        var store = await StoreAsync();
        var window = Requests("busy", perHour: 40);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(async () => await store.ReserveAsync(Request(window)))));
        Assert.Equal(40, outcomes.Count(o => o.Admitted));
        Assert.Equal(160, outcomes.Count(o => !o.Admitted));
    }

    [StoreFact]
    public async Task Concurrent_calls_refused_by_the_budget_charge_no_window()
    {
        var store = await StoreAsync();
        var window = Requests("budgeted", perHour: 30);
        var key = Name("key-concurrent");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
            await store.ReserveAsync(Request(window) with { Budget = new BudgetCharge(key, BudgetPeriod.Day, 20, 1) }))));
        Assert.Equal(20, outcomes.Count(o => o.Admitted));
        Assert.All(outcomes.Where(o => !o.Admitted), o => Assert.False(o.BudgetAdmitted));
        var peek = await store.ReserveAsync(Request(window with { Cost = 0 }));
        Assert.Equal(Now + 20 * window.IntervalMicros, peek.Windows[0].TatMicros);
        Assert.Equal(20, (await store.GetBudgetAsync(key, BudgetPeriod.Day)).ReservedNanoUsd);
    }

    [StoreFact]
    public async Task A_full_window_refills_one_request_per_emission_interval()
    {
        var store = await StoreAsync();
        var window = Requests("refill", perHour: 40);
        for (var i = 0; i < 40; i++)
        {
            Assert.True((await store.ReserveAsync(Request(window))).Admitted);
        }
        Clock.Advance(TimeSpan.FromMicroseconds(window.IntervalMicros - 1));
        Assert.False((await store.ReserveAsync(Request(window))).Admitted);
        Clock.Advance(TimeSpan.FromMicroseconds(1));
        Assert.True((await store.ReserveAsync(Request(window))).Admitted);
        Assert.False((await store.ReserveAsync(Request(window))).Admitted);
    }

    [StoreFact]
    public async Task A_refusal_by_one_window_charges_none_of_the_others()
    {
        var store = await StoreAsync();
        var wide = Requests("a-wide", perHour: 10);
        var narrow = Requests("b-narrow", perHour: 1);
        Assert.True((await store.ReserveAsync(Request(wide, narrow))).Admitted);
        var refused = await store.ReserveAsync(Request(wide, narrow));
        Assert.False(refused.Admitted);
        Assert.True(refused.Windows.Single(w => w.Window == wide.Window).Admitted);
        Assert.False(refused.Windows.Single(w => w.Window == narrow.Window).Admitted);
        Assert.Equal(Now + wide.IntervalMicros, refused.Windows.Single(w => w.Window == wide.Window).TatMicros);
        for (var i = 0; i < 9; i++)
        {
            Assert.True((await store.ReserveAsync(Request(wide))).Admitted);
        }
        Assert.False((await store.ReserveAsync(Request(wide))).Admitted);
    }

    [StoreFact]
    public async Task Settlement_gives_back_reserved_tokens_that_were_not_used_once()
    {
        var store = await StoreAsync();
        var first = Request(Tokens("tpm", perMinute: 1000, cost: 600));
        Assert.True((await store.ReserveAsync(first)).Admitted);
        Assert.False((await store.ReserveAsync(Request(Tokens("tpm", 1000, 600)))).Admitted);

        var settlement = Settlement(first.Id, ledger: true, prompt: 60, completion: 40);
        await store.SettleAsync([settlement]);
        await store.SettleAsync([settlement]);

        var peek = await store.ReserveAsync(Request(Tokens("tpm", 1000, 0)));
        Assert.Equal(Now + 100 * 60_000, peek.Windows[0].TatMicros);
        Assert.True((await store.ReserveAsync(Request(Tokens("tpm", 1000, 900)))).Admitted);
        Assert.False((await store.ReserveAsync(Request(Tokens("tpm", 1000, 1)))).Admitted);
    }

    [StoreFact]
    public async Task Usage_above_the_reservation_is_charged_to_the_token_window()
    {
        var store = await StoreAsync();
        var first = Request(Tokens("over", perMinute: 1000, cost: 100));
        Assert.True((await store.ReserveAsync(first)).Admitted);
        await store.SettleAsync([Settlement(first.Id, ledger: true, prompt: 50, completion: 250)]);
        var peek = await store.ReserveAsync(Request(Tokens("over", 1000, 0)));
        Assert.Equal(Now + 300 * 60_000, peek.Windows[0].TatMicros);
    }

    [StoreFact]
    public async Task Unknown_usage_keeps_the_whole_reservation()
    {
        var store = await StoreAsync();
        var key = Name("key-unknown");
        var first = Request(Tokens("kept", perMinute: 1000, cost: 400)) with { Budget = new BudgetCharge(key, BudgetPeriod.Day, 10_000, 3_000) };
        Assert.True((await store.ReserveAsync(first)).Admitted);
        await store.SettleAsync([Settlement(first.Id, ledger: true, prompt: 0, completion: 0, cost: 0) with { KeepReservation = true, KeyId = key }]);
        var peek = await store.ReserveAsync(Request(Tokens("kept", 1000, 0)));
        Assert.Equal(Now + 400 * 60_000, peek.Windows[0].TatMicros);
        var budget = await store.GetBudgetAsync(key, BudgetPeriod.Day);
        Assert.Equal(3_000, budget.SpentNanoUsd);
        Assert.Equal(0, budget.ReservedNanoUsd);
    }

    [StoreFact]
    public async Task A_budget_admits_while_spent_plus_reserved_fits_and_settles_to_actual_cost()
    {
        var store = await StoreAsync();
        var key = Name("key-budget");
        ReservationRequest Hold(long nano) => new(Guid.NewGuid().ToString("N"), [], new BudgetCharge(key, BudgetPeriod.Day, 1_000, nano));
        var first = Hold(400);
        var admittedFirst = await store.ReserveAsync(first);
        Assert.True(admittedFirst.Admitted);
        Assert.Equal(new BudgetState(0, 400, NextMidnight()), admittedFirst.Budget);
        Assert.True((await store.ReserveAsync(Hold(400))).Admitted);
        var refused = await store.ReserveAsync(Hold(400));
        Assert.False(refused.Admitted);
        Assert.False(refused.BudgetAdmitted);
        Assert.Equal(new BudgetState(0, 800, NextMidnight()), refused.Budget);

        await store.SettleAsync([Settlement(first.Id, ledger: true, prompt: 10, completion: 10, cost: 100) with { KeyId = key }]);
        Assert.Equal(new BudgetState(100, 400, NextMidnight()), await store.GetBudgetAsync(key, BudgetPeriod.Day));
        Assert.True((await store.ReserveAsync(Hold(400))).Admitted);
        Assert.False((await store.ReserveAsync(Hold(101))).Admitted);
        Assert.True((await store.ReserveAsync(Hold(100))).Admitted);
    }

    [StoreFact]
    public async Task A_budget_starts_empty_in_the_next_period()
    {
        var store = await StoreAsync();
        var key = Name("key-month");
        ReservationRequest Hold() => new(Guid.NewGuid().ToString("N"), [], new BudgetCharge(key, BudgetPeriod.Month, 1_000, 1_000));
        Assert.True((await store.ReserveAsync(Hold())).Admitted);
        Assert.False((await store.ReserveAsync(Hold())).Admitted);
        var now = Clock.GetUtcNow();
        Clock.Set(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1));
        var next = await store.ReserveAsync(Hold());
        Assert.True(next.Admitted);
        Assert.Equal(UnixMicros.From(Clock.GetUtcNow().AddMonths(1)), next.Budget!.PeriodEndMicros);
    }

    [StoreFact]
    public async Task Counters_add_each_settlement_once_per_model_key_and_session()
    {
        var store = await StoreAsync();
        var model = Name("openai/gpt-x");
        var other = Name("openai/gpt-y");
        var key = Name("key");
        var session = Name("session");
        var a = Settlement(Guid.NewGuid().ToString("N"), ledger: false, prompt: 10, completion: 5, cost: 1_500) with { ModelId = model, KeyId = key, SessionId = session };
        var b = Settlement(Guid.NewGuid().ToString("N"), ledger: false, prompt: 20, completion: 7, cost: 2_500) with { ModelId = model, KeyId = key };
        var c = Settlement(Guid.NewGuid().ToString("N"), ledger: false, prompt: 1, completion: 1, cost: 3) with { ModelId = other };
        await store.SettleAsync([a, b]);
        await store.SettleAsync([b, c, a]);

        Assert.Equal(new UsageCounters(2, 30, 12, 0.000004m), await store.GetUsageAsync(UsageScope.Model, model));
        Assert.Equal(new UsageCounters(1, 1, 1, 0.000000003m), await store.GetUsageAsync(UsageScope.Model, other));
        Assert.Equal(new UsageCounters(2, 30, 12, 0.000004m), await store.GetUsageAsync(UsageScope.ApiKey, key));
        Assert.Equal(new UsageCounters(1, 10, 5, 0.0000015m), await store.GetUsageAsync(UsageScope.Session, session));
        Assert.Equal(UsageCounters.None, await store.GetUsageAsync(UsageScope.ApiKey, Name("never-used")));
    }

    [StoreFact]
    public async Task Concurrent_reservations_and_settlements_over_shared_windows_stay_exact()
    {
        var store = await StoreAsync();
        var calls = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            var request = Request(Tokens("shared-a", 1_000_000, 10), Tokens("shared-b", 1_000_000, 10));
            var outcome = await store.ReserveAsync(request);
            await store.SettleAsync([Settlement(request.Id, ledger: true, prompt: 3, completion: 2) with { ModelId = Name("shared-model") }]);
            return outcome.Admitted;
        })));
        Assert.All(calls, Assert.True);
        var peek = await store.ReserveAsync(Request(Tokens("shared-a", 1_000_000, 0), Tokens("shared-b", 1_000_000, 0)));
        Assert.All(peek.Windows, w => Assert.Equal(Now + 100 * 5 * 60, w.TatMicros));
        Assert.Equal(100, (await store.GetUsageAsync(UsageScope.Model, Name("shared-model"))).Requests);
    }

    [StoreFact]
    public async Task A_stale_reservation_is_released_as_spent_and_a_late_settlement_changes_nothing()
    {
        var store = await StaleStoreAsync(day: 3);
        var key = Name("key-stale");
        var model = Name("stale-model");
        var window = Tokens("stale", perMinute: 1000, cost: 400);
        var stale = Request(window) with { Budget = new BudgetCharge(key, BudgetPeriod.Day, 10_000, 3_000) };
        Assert.True((await store.ReserveAsync(stale)).Admitted);
        Clock.Advance(TimeSpan.FromMinutes(30));
        var recent = Request(Tokens("stale", 1000, 100)) with { Budget = new BudgetCharge(key, BudgetPeriod.Day, 10_000, 2_000) };
        Assert.True((await store.ReserveAsync(recent)).Admitted);
        var tatBefore = (await store.ReserveAsync(Request(window with { Cost = 0 }))).Windows[0].TatMicros;

        Assert.Equal(1, await store.ReleaseStaleAsync(Clock.GetUtcNow().AddMinutes(-10), 100));

        Assert.Equal(new BudgetState(3_000, 2_000, NextMidnight()), await store.GetBudgetAsync(key, BudgetPeriod.Day));
        Assert.Equal(tatBefore, (await store.ReserveAsync(Request(window with { Cost = 0 }))).Windows[0].TatMicros);
        Assert.Equal(UsageCounters.None, await store.GetUsageAsync(UsageScope.Model, model));
        Assert.Equal(UsageCounters.None, await store.GetUsageAsync(UsageScope.ApiKey, key));

        await store.SettleAsync([Settlement(stale.Id, ledger: true, prompt: 10, completion: 10, cost: 500) with { ModelId = model, KeyId = key, HoldsMoney = true }]);
        Assert.Equal(new BudgetState(3_000, 2_000, NextMidnight()), await store.GetBudgetAsync(key, BudgetPeriod.Day));
        Assert.Equal(tatBefore, (await store.ReserveAsync(Request(window with { Cost = 0 }))).Windows[0].TatMicros);
        Assert.Equal(UsageCounters.None, await store.GetUsageAsync(UsageScope.Model, model));
        Assert.Equal(0, await store.ReleaseStaleAsync(Clock.GetUtcNow().AddMinutes(-10), 100));

        await store.SettleAsync([Settlement(recent.Id, ledger: true, prompt: 30, completion: 20, cost: 700) with { ModelId = model, KeyId = key, HoldsMoney = true }]);
        Assert.Equal(new BudgetState(3_700, 0, NextMidnight()), await store.GetBudgetAsync(key, BudgetPeriod.Day));
        Assert.Equal(tatBefore - 50 * window.IntervalMicros, (await store.ReserveAsync(Request(window with { Cost = 0 }))).Windows[0].TatMicros);
        Assert.Equal(new UsageCounters(1, 30, 20, 0.0000007m), await store.GetUsageAsync(UsageScope.Model, model));
    }

    [StoreFact]
    public async Task Releasing_stale_reservations_takes_the_oldest_first_up_to_the_limit()
    {
        var store = await StaleStoreAsync(day: 5);
        var key = Name("key-limit");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var request = new ReservationRequest(Guid.NewGuid().ToString("N"), [], new BudgetCharge(key, BudgetPeriod.Day, 1_000_000, 100 + i));
            Assert.True((await store.ReserveAsync(request)).Admitted);
            ids.Add(request.Id);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
        var cutoff = Clock.GetUtcNow();

        Assert.Equal(2, await store.ReleaseStaleAsync(cutoff, 2));
        Assert.Equal(new BudgetState(100 + 101, 102 + 103 + 104, NextMidnight()), await store.GetBudgetAsync(key, BudgetPeriod.Day));
        Assert.Equal(3, await store.ReleaseStaleAsync(cutoff, 10));
        Assert.Equal(new BudgetState(510, 0, NextMidnight()), await store.GetBudgetAsync(key, BudgetPeriod.Day));
        Assert.Equal(0, await store.ReleaseStaleAsync(cutoff, 10));
    }

    [StoreFact]
    public async Task Concurrent_sweeps_release_each_stale_reservation_once()
    {
        var store = await StaleStoreAsync(day: 7);
        var key = Name("key-sweeps");
        for (var i = 0; i < 60; i++)
        {
            var request = Request(Tokens("sweeps", 1_000_000, 10)) with { Budget = new BudgetCharge(key, BudgetPeriod.Day, 1_000_000, 10) };
            Assert.True((await store.ReserveAsync(request)).Admitted);
        }
        Clock.Advance(TimeSpan.FromSeconds(1));
        var cutoff = Clock.GetUtcNow();

        var released = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var total = 0;
            for (var round = 0; round < 10; round++)
            {
                total += await store.ReleaseStaleAsync(cutoff, 7);
            }
            return total;
        })));

        Assert.Equal(60, released.Sum());
        Assert.Equal(new BudgetState(600, 0, NextMidnight()), await store.GetBudgetAsync(key, BudgetPeriod.Day));
    }

    /// <summary>
    /// The store with the clock at 10:00 on its own day of 2025, before anything other facts reserve, and with every
    /// reservation older than that released, so a fact's sweeps see only its own reservations.
    /// </summary>
    private async Task<ILimitStore> StaleStoreAsync(int day)
    {
        var store = await StoreAsync();
        Clock.Set(new DateTimeOffset(2025, 1, day, 10, 0, 0, TimeSpan.Zero));
        while (await store.ReleaseStaleAsync(Clock.GetUtcNow(), 1000) > 0)
        {
        }
        return store;
    }

    private string Name(string name) => _prefix + name;

    private WindowCharge Requests(string name, long perHour) => new(Name(name) + ":requests", Hour / perHour, perHour, 1, Settles: false);

    private WindowCharge Tokens(string name, long perMinute, long cost) => new(Name(name) + ":tokens", 60_000_000 / perMinute, perMinute, cost, Settles: true);

    private static ReservationRequest Request(params WindowCharge[] windows) =>
        new(Guid.NewGuid().ToString("N"), windows.OrderBy(w => w.Window, StringComparer.Ordinal).ToArray(), null);

    private UsageSettlement Settlement(string id, bool ledger, long prompt, long completion, long cost = 0) => new()
    {
        Id = id,
        HasLedger = ledger,
        ModelId = Name("model"),
        PromptTokens = prompt,
        CompletionTokens = completion,
        CostNanoUsd = cost,
    };

    private long NextMidnight()
    {
        var now = Clock.GetUtcNow();
        return UnixMicros.From(new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero).AddDays(1));
    }
}
