using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Grains.Tests.Limits;

/// <summary>
/// Limit grains on a three-silo cluster: one activation per key or model serializes its windows and budget, so many
/// concurrent calls entering through every silo are admitted exactly up to the limits; state written behind survives
/// the silo hosting the grain being stopped hard.
/// </summary>
public sealed class LimitGrainClusterTests : IAsyncLifetime
{
    private LimitGrainCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LimitGrainCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_model_window_admits_exactly_its_limit_across_silos_under_concurrent_calls()
    {
        var request = new AdmissionRequest { ModelId = "fake/limited", ModelLimit = new RateLimitConfig { MaxRequests = 40, PerSeconds = 3600 } };
        var factories = _cluster.Factories;

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            factories[i % factories.Count].GetGrain<IModelGrain>(request.ModelId).AdmitAsync(request).AsTask()));

        Assert.Equal(40, answers.Count(a => a.IsAcquired));
        Assert.All(answers.Where(a => !a.IsAcquired), a =>
        {
            Assert.Equal(LimitKind.ModelRequests, a.RefusedBy);
            Assert.InRange(a.RetryAfter, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(90));
        });
    }

    [Fact]
    public async Task A_key_window_admits_exactly_its_limit_and_a_model_refusal_leaves_nothing_charged_on_the_key()
    {
        var factories = _cluster.Factories;
        var keyLimit = new RateLimitConfig { MaxRequests = 25, PerSeconds = 3600 };
        var narrow = new AdmissionRequest { ModelId = "fake/narrow", ModelLimit = new RateLimitConfig { MaxRequests = 10, PerSeconds = 3600 }, KeyLimit = keyLimit };
        var open = narrow with { ModelId = "fake/open", ModelLimit = null };

        var throughNarrow = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            factories[i % factories.Count].GetGrain<IApiKeyGrain>("key-1").AdmitAsync(narrow).AsTask()));
        var throughOpen = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            factories[i % factories.Count].GetGrain<IApiKeyGrain>("key-1").AdmitAsync(open).AsTask()));

        // The model admitted 10; its 50 refusals were taken back on the key, which still had 15 to give.
        Assert.Equal(10, throughNarrow.Count(a => a.IsAcquired));
        Assert.All(throughNarrow.Where(a => !a.IsAcquired), a => Assert.Equal(LimitKind.ModelRequests, a.RefusedBy));
        Assert.Equal(15, throughOpen.Count(a => a.IsAcquired));
        Assert.All(throughOpen.Where(a => !a.IsAcquired), a => Assert.Equal(LimitKind.KeyRequests, a.RefusedBy));
    }

    [Fact]
    public async Task A_batch_through_a_key_is_answered_as_its_calls_one_at_a_time_when_the_model_refuses_some()
    {
        var keyLimit = new RateLimitConfig { MaxRequests = 10, PerSeconds = 3600 };
        var narrow = new AdmissionRequest { ModelId = "fake/batch-narrow", ModelLimit = new RateLimitConfig { MaxRequests = 3, PerSeconds = 3600 }, KeyLimit = keyLimit };
        var key = _cluster.Factories[0].GetGrain<IApiKeyGrain>("key-batch");

        var batch = await key.AdmitManyAsync([.. Enumerable.Repeat(narrow, 5)]);

        Assert.Equal([true, true, true, false, false], batch.Select(a => a.IsAcquired));
        Assert.All(batch.Skip(3), a => Assert.Equal(LimitKind.ModelRequests, a.RefusedBy));
        // The two refusals were taken back on the key: seven of its ten are left.
        var open = narrow with { ModelId = "fake/batch-open", ModelLimit = null };
        var after = await key.AdmitManyAsync([.. Enumerable.Repeat(open, 8)]);
        Assert.Equal(7, after.Count(a => a.IsAcquired));
        Assert.Equal(LimitKind.KeyRequests, after[7].RefusedBy);
    }

    [Fact]
    public async Task A_batch_the_key_cannot_all_admit_is_decided_one_call_at_a_time()
    {
        // Key 3, model 2: one at a time, the third call is refused by the model and taken back on the key, so the key
        // still has room for the fourth and fifth, which the model refuses too. Deciding the key's part of the whole
        // batch first would have refused the fourth and fifth for the key.
        var narrow = new AdmissionRequest
        {
            ModelId = "fake/batch-tight",
            ModelLimit = new RateLimitConfig { MaxRequests = 2, PerSeconds = 3600 },
            KeyLimit = new RateLimitConfig { MaxRequests = 3, PerSeconds = 3600 },
        };
        var key = _cluster.Factories[1].GetGrain<IApiKeyGrain>("key-batch-tight");

        var batch = await key.AdmitManyAsync([.. Enumerable.Repeat(narrow, 5)]);

        Assert.Equal([true, true, false, false, false], batch.Select(a => a.IsAcquired));
        Assert.All(batch.Skip(2), a => Assert.Equal(LimitKind.ModelRequests, a.RefusedBy));
        var open = narrow with { ModelId = "fake/batch-tight-open", ModelLimit = null };
        Assert.Equal([true, false], (await key.AdmitManyAsync([open, open])).Select(a => a.IsAcquired));
    }

    [Fact]
    public async Task A_budget_is_never_overspent_and_settles_to_the_actual_cost()
    {
        var factories = _cluster.Factories;
        // Each call holds 0.0205 USD; a 0.05 USD budget has room for two at once.
        var request = new AdmissionRequest { ModelId = "fake/priced", KeyBudget = new BudgetConfig { LimitUsd = 0.05m, Period = "day" }, ReserveCostUsd = 0.0205m };

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            factories[i % factories.Count].GetGrain<IApiKeyGrain>("key-2").AdmitAsync(request).AsTask()));
        var admitted = answers.Where(a => a.IsAcquired).ToArray();
        Assert.Equal(2, admitted.Length);
        Assert.All(answers.Where(a => !a.IsAcquired), a => Assert.Equal(LimitKind.KeyBudget, a.RefusedBy));
        var key = factories[0].GetGrain<IApiKeyGrain>("key-2");
        Assert.Equal((0m, 0.041m), Money(await key.GetBudgetAsync(BudgetPeriod.Day)));

        foreach (var admission in admitted)
        {
            await key.SettleAsync([new UsageReport { ModelId = request.ModelId, KeyId = "key-2", Reservation = admission.Reservation, PromptTokens = 11, CompletionTokens = 5, CostUsd = 0.013m }]);
        }

        Assert.Equal((0.026m, 0m), Money(await key.GetBudgetAsync(BudgetPeriod.Day)));
        Assert.True((await key.AdmitAsync(request)).IsAcquired);
        Assert.False((await key.AdmitAsync(request)).IsAcquired);

        static (decimal, decimal) Money(BudgetStatus status) => (status.SpentUsd, status.ReservedUsd);
    }

    [Fact]
    public async Task Usage_settled_with_admissions_in_one_call_frees_its_tokens_before_they_are_admitted()
    {
        // 100 tokens a minute: the first call holds them all, so a call of 60 is refused until the first settles at 10.
        var request = new AdmissionRequest { ModelId = "fake/settle-admit", ModelLimit = new RateLimitConfig { TokensPerMinute = 100 }, ReserveTokens = 100 };
        var model = _cluster.Factories[2].GetGrain<IModelGrain>(request.ModelId);
        var first = await model.AdmitAsync(request);
        Assert.True(first.IsAcquired);
        var smaller = request with { ReserveTokens = 60 };
        Assert.Equal(LimitKind.ModelTokens, (await model.AdmitAsync(smaller)).RefusedBy);

        var report = new UsageReport { ModelId = request.ModelId, Reservation = first.Reservation, PromptTokens = 6, CompletionTokens = 4 };
        var answers = await model.SettleAndAdmitAsync([report], [smaller, smaller]);

        // 10 settled + 60 admitted leave 30: the second 60 is refused, and the same report settled again changes nothing.
        Assert.Equal([true, false], answers.Select(a => a.IsAcquired));
        Assert.Equal(LimitKind.ModelTokens, answers[1].RefusedBy);
        Assert.Equal([false], (await model.SettleAndAdmitAsync([report], [smaller with { ReserveTokens = 40 }])).Select(a => a.IsAcquired));
        Assert.Empty(await model.SettleAndAdmitAsync([], []));
    }

    [Fact]
    public async Task A_key_settles_its_budget_before_admitting_the_calls_that_came_with_the_settlement()
    {
        var request = new AdmissionRequest { ModelId = "fake/settle-admit-key", KeyBudget = new BudgetConfig { LimitUsd = 0.05m, Period = "day" }, ReserveCostUsd = 0.03m };
        var key = _cluster.Factories[1].GetGrain<IApiKeyGrain>("key-settle-admit");
        var first = await key.AdmitAsync(request);
        Assert.True(first.IsAcquired);
        Assert.Equal(LimitKind.KeyBudget, (await key.AdmitAsync(request)).RefusedBy);

        var report = new UsageReport { ModelId = request.ModelId, KeyId = "key-settle-admit", Reservation = first.Reservation, PromptTokens = 3, CompletionTokens = 2, CostUsd = 0.01m };
        var answers = await key.SettleAndAdmitAsync([report], [request, request]);

        Assert.Equal([true, false], answers.Select(a => a.IsAcquired));
        var budget = await key.GetBudgetAsync(BudgetPeriod.Day);
        Assert.Equal((0.01m, 0.03m), (budget.SpentUsd, budget.ReservedUsd));
    }

    [Fact]
    public async Task A_grain_whose_silo_is_killed_comes_back_on_a_survivor_with_its_persisted_window()
    {
        var request = new AdmissionRequest { ModelId = "fake/survivor", ModelLimit = new RateLimitConfig { MaxRequests = 10, PerSeconds = 3600 } };
        var grain = _cluster.Cluster.Client.GetGrain<IModelGrain>(request.ModelId);
        for (var i = 0; i < 6; i++)
        {
            Assert.True((await grain.AdmitAsync(request)).IsAcquired);
        }
        // Past one persist interval the window is on disk; then the silo holding the grain dies without a goodbye.
        await Task.Delay(LimitGrainCluster.PersistInterval * 5);
        var host = _cluster.HostOf(grain);
        await _cluster.Cluster.KillSiloAsync(host);

        var after = new List<Admission>();
        for (var i = 0; i < 10; i++)
        {
            after.Add(await _cluster.Factories[i % _cluster.Factories.Count].GetGrain<IModelGrain>(request.ModelId).AdmitAsync(request));
        }

        Assert.Equal(4, after.Count(a => a.IsAcquired));
        Assert.DoesNotContain(_cluster.Cluster.Silos, s => s == host);
    }
}
