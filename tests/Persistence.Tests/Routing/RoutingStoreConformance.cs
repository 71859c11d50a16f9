using LlmRouter.Abstractions.Routing;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Routing;

/// <summary>
/// The facts every store of the router toggle and REST routing rules must meet. Each store (SQLite here,
/// PostgreSQL later) derives from this class and supplies fresh, empty stores; two instances over the same data
/// stand for two nodes.
/// </summary>
public abstract class RoutingStoreConformance : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    protected abstract IRouterToggleStore Toggle { get; }

    /// <summary>The database under test; every use makes a new rule store over it, as another node would.</summary>
    protected abstract StoreDialect Dialect { get; }

    private IRoutingRuleStore Rules => new RoutingRuleStore(Dialect);

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    private static RouterToggleRequest Change(bool value, DateTimeOffset now, double delay = 10, double cooldown = 60, bool initial = true, string? reason = null) => new()
    {
        Value = value,
        Reason = reason,
        ChangedBy = "admin",
        Node = "node-1",
        Now = now,
        Delay = TimeSpan.FromSeconds(delay),
        Cooldown = TimeSpan.FromSeconds(cooldown),
        InitialValue = initial,
    };

    [StoreFact]
    public async Task A_toggle_never_changed_has_no_state_and_no_history()
    {
        Assert.Null(await Toggle.ReadAsync());
        Assert.Empty(await Toggle.HistoryAsync(10));
    }

    [StoreFact]
    public async Task A_change_is_kept_with_the_value_in_force_before_it_until_its_time()
    {
        var outcome = await Toggle.ChangeAsync(Change(false, T0, reason: "maintenance"));
        var state = await Toggle.ReadAsync();

        Assert.Equal(RouterToggleOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal(outcome.State, state);
        Assert.Equal((false, true, T0.AddSeconds(10), T0), (state!.Value, state.PreviousValue, state.EffectiveAt, state.ChangedAt));
        Assert.Equal(("maintenance", "admin", "node-1"), (state.Reason, state.ChangedBy, state.Node));
        Assert.True(state.Version > 0);
        Assert.True(state.EnabledAt(T0.AddSeconds(9.999)));
        Assert.True(state.IsPendingAt(T0.AddSeconds(5)));
        Assert.False(state.EnabledAt(T0.AddSeconds(10)));
        Assert.False(state.IsPendingAt(T0.AddSeconds(10)));
    }

    [StoreFact]
    public async Task Asking_for_the_requested_value_again_records_nothing()
    {
        var untouched = await Toggle.ChangeAsync(Change(true, T0));
        await Toggle.ChangeAsync(Change(false, T0));
        var repeated = await Toggle.ChangeAsync(Change(false, T0.AddSeconds(1)));

        Assert.Equal(RouterToggleOutcomeKind.Unchanged, untouched.Kind);
        Assert.Equal(RouterToggleOutcomeKind.Unchanged, repeated.Kind);
        Assert.Equal(T0, repeated.State.ChangedAt);
        Assert.Single(await Toggle.HistoryAsync(10));
    }

    [StoreFact]
    public async Task The_cooldown_refuses_a_change_until_it_ends()
    {
        var first = await Toggle.ChangeAsync(Change(false, T0));
        var early = await Toggle.ChangeAsync(Change(true, T0.AddSeconds(59)));
        var onTime = await Toggle.ChangeAsync(Change(true, T0.AddSeconds(60)));

        Assert.Equal(RouterToggleOutcomeKind.CoolingDown, early.Kind);
        Assert.Equal(T0.AddSeconds(60), early.RetryAt);
        Assert.Equal(first.State, early.State);
        Assert.Equal(RouterToggleOutcomeKind.Accepted, onTime.Kind);
        Assert.Equal((true, false), (onTime.State.Value, onTime.State.PreviousValue));
        Assert.True(onTime.State.Version > first.State.Version);
    }

    [StoreFact]
    public async Task A_change_while_another_is_pending_starts_from_the_value_in_force()
    {
        await Toggle.ChangeAsync(Change(false, T0, delay: 30, cooldown: 0));
        var back = await Toggle.ChangeAsync(Change(true, T0.AddSeconds(5), delay: 30, cooldown: 0));

        // The first change never took effect: routing stays on throughout.
        Assert.Equal((true, true), (back.State.Value, back.State.PreviousValue));
        Assert.True(back.State.EnabledAt(T0.AddSeconds(20)));
        Assert.False(back.State.IsPendingAt(T0.AddSeconds(20)));
    }

    [StoreFact]
    public async Task The_first_change_starts_from_the_configured_initial_value()
    {
        var on = await Toggle.ChangeAsync(Change(true, T0, initial: false));

        Assert.Equal(RouterToggleOutcomeKind.Accepted, on.Kind);
        Assert.Equal((true, false), (on.State.Value, on.State.PreviousValue));
    }

    [StoreFact]
    public async Task History_is_newest_first_and_limited()
    {
        await Toggle.ChangeAsync(Change(false, T0, cooldown: 0, reason: "one"));
        await Toggle.ChangeAsync(Change(true, T0.AddSeconds(20), cooldown: 0, reason: "two"));
        await Toggle.ChangeAsync(Change(false, T0.AddSeconds(40), cooldown: 0, reason: "three"));

        var all = await Toggle.HistoryAsync(10);
        var two = await Toggle.HistoryAsync(2);

        Assert.Equal(["three", "two", "one"], all.Select(c => c.Reason));
        Assert.Equal([true, false, true], all.Select(c => c.PreviousValue));
        Assert.Equal(T0.AddSeconds(50), all[0].EffectiveAt);
        Assert.Equal(T0.AddSeconds(40), all[0].RequestedAt);
        Assert.True(all[0].Id > all[1].Id);
        Assert.Equal(["three", "two"], two.Select(c => c.Reason));
    }

    [StoreFact]
    public async Task Two_nodes_toggling_at_once_cannot_both_succeed()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(async () => await Toggle.ChangeAsync(Change(i % 2 == 0, T0.AddMilliseconds(i), initial: i % 2 != 0)))));

        Assert.Single(outcomes, o => o.Kind == RouterToggleOutcomeKind.Accepted);
        Assert.Single(await Toggle.HistoryAsync(10));
    }

    [StoreFact]
    public async Task Rules_are_listed_in_creation_order_and_replaced_in_place()
    {
        var (a, aCreated) = await Rules.UpsertAsync("a", """{"name":"a"}""", T0);
        await Rules.UpsertAsync("b", """{"name":"b"}""", T0.AddSeconds(1));
        var (a2, a2Created) = await Rules.UpsertAsync("a", """{"name":"a","priority":1}""", T0.AddSeconds(2));

        var listed = await Rules.ListAsync();

        Assert.True(aCreated);
        Assert.False(a2Created);
        Assert.True(a2.Version > a.Version);
        Assert.Equal(["a", "b"], listed.Select(d => d.Key));
        Assert.Equal("""{"name":"a","priority":1}""", listed[0].Json);
        Assert.Equal(T0.AddSeconds(2), listed[0].UpdatedAt);
    }

    [StoreFact]
    public async Task A_deleted_rule_is_gone_and_a_recreated_one_comes_last()
    {
        await Rules.UpsertAsync("a", "{}", T0);
        await Rules.UpsertAsync("b", "{}", T0);

        Assert.True(await Rules.DeleteAsync("a", T0));
        Assert.False(await Rules.DeleteAsync("a", T0));
        Assert.False(await Rules.DeleteAsync("never", T0));
        Assert.Equal(["b"], (await Rules.ListAsync()).Select(d => d.Key));
        var (_, created) = await Rules.UpsertAsync("a", "{}", T0);
        Assert.True(created);
        Assert.Equal(["b", "a"], (await Rules.ListAsync()).Select(d => d.Key));
    }

    [StoreFact]
    public async Task The_rule_revision_grows_with_every_change()
    {
        var seen = new List<long> { await Rules.RevisionAsync() };
        await Rules.UpsertAsync("a", "{}", T0);
        seen.Add(await Rules.RevisionAsync());
        await Rules.UpsertAsync("a", "{\"x\":1}", T0);
        seen.Add(await Rules.RevisionAsync());
        await Rules.DeleteAsync("a", T0);
        seen.Add(await Rules.RevisionAsync());
        await Rules.UpsertAsync("a", "{}", T0);
        seen.Add(await Rules.RevisionAsync());

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [StoreFact]
    public async Task Nodes_creating_one_rule_at_once_see_it_created_once_and_every_change_kept()
    {
        await Rules.UpsertAsync("earlier", "{}", T0);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(async () => await Rules.UpsertAsync("r", $$"""{"n":{{i}}}""", T0.AddSeconds(i)))));

        Assert.Single(answers, a => a.Created);
        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), answers.Select(a => a.Document.Version).Order());
        Assert.Equal(["earlier", "r"], (await Rules.ListAsync()).Select(d => d.Key));
    }

}
