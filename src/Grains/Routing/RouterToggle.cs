using LlmRouter.Abstractions.Routing;

namespace LlmRouter.Grains.Routing;

/// <summary>
/// The router toggle on this node: the cluster's state read from its grain (<see cref="IRouterToggleGrain"/>) at
/// start, after every local change and whenever the change feed announces one, and the state in force computed from
/// it and the clock, so the request path never waits on a grain. A change takes effect after the configured delay on
/// every node at once, provided each has read it by then (nodes poll the change feed every 250 ms).
/// </summary>
public sealed class RouterToggle(IGrainFactory grains, IRouterConfigSource config, TimeProvider time)
{
    private RouterToggleState? _state;

    /// <summary>Whether rules and tag routing apply right now.</summary>
    public bool IsEnabled => EnabledAt(time.GetUtcNow());

    private IRouterToggleGrain Grain => grains.GetGrain<IRouterToggleGrain>(0);

    /// <summary>The cluster's state last read, or null while the toggle was never changed.</summary>
    public RouterToggleState? State => Volatile.Read(ref _state);

    public RoutingConfig Settings => config.Current.Routing;

    public bool EnabledAt(DateTimeOffset now) => State is { } state ? state.EnabledAt(now) : Settings.Enabled;

    public async ValueTask<RouterToggleState?> RefreshAsync(CancellationToken cancellationToken = default)
    {
        Keep(await Grain.GetStateAsync(cancellationToken).ConfigureAwait(false));
        return State;
    }

    public async ValueTask<RouterToggleOutcome> ChangeAsync(bool value, string? reason, string? changedBy, string? node, CancellationToken cancellationToken = default)
    {
        var settings = Settings;
        var outcome = await Grain.ChangeAsync(new RouterToggleRequest
        {
            Value = value,
            Reason = reason,
            ChangedBy = changedBy,
            Node = node,
            Now = time.GetUtcNow(),
            Delay = TimeSpan.FromSeconds(settings.ToggleDelaySeconds),
            Cooldown = TimeSpan.FromSeconds(settings.ToggleCooldownSeconds),
            InitialValue = settings.Enabled,
        }, cancellationToken).ConfigureAwait(false);
        Keep(outcome.State);
        return outcome;
    }

    public async ValueTask<IReadOnlyList<RouterToggleChange>> HistoryAsync(int limit, CancellationToken cancellationToken = default) =>
        await Grain.GetHistoryAsync(limit, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Keeps the newest state seen: a slow read must not undo a change this node has just made. Version 0 stands for
    /// a toggle never changed, which the configuration describes.
    /// </summary>
    private void Keep(RouterToggleState? state)
    {
        while (state is { Version: > 0 })
        {
            var current = _state;
            if (current is not null && current.Version > state.Version
                || Interlocked.CompareExchange(ref _state, state, current) == current)
            {
                return;
            }
        }
    }
}
