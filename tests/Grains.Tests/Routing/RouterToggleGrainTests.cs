using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Routing;
using LlmRouter.Grains.Tests.Limits;

namespace LlmRouter.Grains.Tests.Routing;

/// <summary>
/// The router toggle's grain on a three-silo cluster: one state, delay, cooldown and history for the cluster, whichever
/// silo a change enters through, kept in grain storage so it survives the silo holding it being killed.
/// </summary>
public sealed class RouterToggleGrainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private LimitGrainCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LimitGrainCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>The toggle as seen through the <paramref name="silo"/>th live silo.</summary>
    private IRouterToggleGrain Toggle(int silo) => _cluster.Factories[silo % _cluster.Factories.Count].GetGrain<IRouterToggleGrain>(0);

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

    [Fact]
    public async Task A_toggle_never_changed_has_no_state_and_no_history()
    {
        Assert.Null(await Toggle(1).GetStateAsync());
        Assert.Empty(await Toggle(2).GetHistoryAsync(10));
    }

    [Fact]
    public async Task A_change_is_kept_with_the_value_in_force_before_it_until_its_time()
    {
        var outcome = await Toggle(1).ChangeAsync(Change(false, T0, reason: "maintenance"));
        var state = await Toggle(1).GetStateAsync();

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

    [Fact]
    public async Task Asking_for_the_requested_value_again_records_nothing()
    {
        var untouched = await Toggle(2).ChangeAsync(Change(true, T0));
        await Toggle(0).ChangeAsync(Change(false, T0));
        var repeated = await Toggle(1).ChangeAsync(Change(false, T0.AddSeconds(1)));

        Assert.Equal(RouterToggleOutcomeKind.Unchanged, untouched.Kind);
        Assert.Equal(RouterToggleOutcomeKind.Unchanged, repeated.Kind);
        Assert.Equal(T0, repeated.State.ChangedAt);
        Assert.Single(await Toggle(2).GetHistoryAsync(10));
    }

    [Fact]
    public async Task The_cooldown_refuses_a_change_until_it_ends()
    {
        var first = await Toggle(2).ChangeAsync(Change(false, T0));
        var early = await Toggle(0).ChangeAsync(Change(true, T0.AddSeconds(59)));
        var onTime = await Toggle(1).ChangeAsync(Change(true, T0.AddSeconds(60)));

        Assert.Equal(RouterToggleOutcomeKind.CoolingDown, early.Kind);
        Assert.Equal(T0.AddSeconds(60), early.RetryAt);
        Assert.Equal(first.State, early.State);
        Assert.Equal(RouterToggleOutcomeKind.Accepted, onTime.Kind);
        Assert.Equal((true, false), (onTime.State.Value, onTime.State.PreviousValue));
        Assert.True(onTime.State.Version > first.State.Version);
    }

    [Fact]
    public async Task A_change_while_another_is_pending_starts_from_the_value_in_force()
    {
        await Toggle(2).ChangeAsync(Change(false, T0, delay: 30, cooldown: 0));
        var back = await Toggle(0).ChangeAsync(Change(true, T0.AddSeconds(5), delay: 30, cooldown: 0));

        // The first change never took effect: routing stays on throughout.
        Assert.Equal((true, true), (back.State.Value, back.State.PreviousValue));
        Assert.True(back.State.EnabledAt(T0.AddSeconds(20)));
        Assert.False(back.State.IsPendingAt(T0.AddSeconds(20)));
    }

    [Fact]
    public async Task The_first_change_starts_from_the_configured_initial_value()
    {
        var on = await Toggle(1).ChangeAsync(Change(true, T0, initial: false));

        Assert.Equal(RouterToggleOutcomeKind.Accepted, on.Kind);
        Assert.Equal((true, false), (on.State.Value, on.State.PreviousValue));
    }

    [Fact]
    public async Task History_is_newest_first_and_limited()
    {
        await Toggle(2).ChangeAsync(Change(false, T0, cooldown: 0, reason: "one"));
        await Toggle(0).ChangeAsync(Change(true, T0.AddSeconds(20), cooldown: 0, reason: "two"));
        await Toggle(1).ChangeAsync(Change(false, T0.AddSeconds(40), cooldown: 0, reason: "three"));

        var all = await Toggle(2).GetHistoryAsync(10);
        var two = await Toggle(2).GetHistoryAsync(2);

        Assert.Equal(["three", "two", "one"], all.Select(c => c.Reason));
        Assert.Equal([true, false, true], all.Select(c => c.PreviousValue));
        Assert.Equal(T0.AddSeconds(50), all[0].EffectiveAt);
        Assert.Equal(T0.AddSeconds(40), all[0].RequestedAt);
        Assert.True(all[0].Id > all[1].Id);
        Assert.Equal(["three", "two"], two.Select(c => c.Reason));
    }

    [Fact]
    public async Task Changes_entering_through_every_silo_at_once_cannot_both_succeed()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(async () => await Toggle(i).ChangeAsync(Change(i % 2 == 0, T0.AddMilliseconds(i), initial: i % 2 != 0)))));

        Assert.Single(outcomes, o => o.Kind == RouterToggleOutcomeKind.Accepted);
        Assert.Single(await Toggle(2).GetHistoryAsync(10));
    }

    [Fact]
    public async Task An_accepted_change_raises_the_toggle_on_the_change_feed_and_a_refused_one_does_not()
    {
        var feed = _cluster.Factories[0].GetGrain<IChangeFeedGrain>(0);
        var before = await feed.GetVersionsAsync();

        await Toggle(1).ChangeAsync(Change(false, T0));
        var afterAccepted = await feed.GetVersionsAsync();
        await Toggle(2).ChangeAsync(Change(true, T0.AddSeconds(1)));
        await Toggle(0).ChangeAsync(Change(false, T0.AddSeconds(2)));
        var afterRefused = await feed.GetVersionsAsync();

        Assert.Equal(before.Of(ClusterTopic.Toggle) + 1, afterAccepted.Of(ClusterTopic.Toggle));
        Assert.Equal((afterAccepted.Epoch, afterAccepted.Of(ClusterTopic.Toggle)), (afterRefused.Epoch, afterRefused.Of(ClusterTopic.Toggle)));
        Assert.Equal(0, afterRefused.Of(ClusterTopic.Catalog));
    }

    [Fact]
    public async Task The_state_and_history_survive_the_silo_holding_the_toggle_being_killed()
    {
        var accepted = await Toggle(0).ChangeAsync(Change(false, T0, cooldown: 0, reason: "one"));
        await Toggle(1).ChangeAsync(Change(true, T0.AddSeconds(20), cooldown: 0, reason: "two"));
        var grain = Toggle(2);
        var state = await grain.GetStateAsync();
        await _cluster.Cluster.KillSiloAsync(_cluster.HostOf(grain));

        var revived = await Toggle(0).GetStateAsync();
        var history = await Toggle(1).GetHistoryAsync(10);
        var third = await Toggle(0).ChangeAsync(Change(false, T0.AddSeconds(40), cooldown: 0, reason: "three"));

        Assert.Equal(state, revived);
        Assert.True(accepted.State.Version < revived!.Version);
        Assert.Equal(["two", "one"], history.Select(c => c.Reason));
        Assert.Equal(RouterToggleOutcomeKind.Accepted, third.Kind);
        Assert.Equal(revived.Version + 1, third.State.Version);
        Assert.Equal(history[0].Id + 1, (await Toggle(2).GetHistoryAsync(1))[0].Id);
    }
}
