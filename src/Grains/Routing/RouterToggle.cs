using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Routing;

namespace LlmRouter.Grains.Routing;

/// <summary>
/// The router toggle on this node: the shared state read from the store (refreshed in the background and after
/// every local change), and the state in force computed from it and the clock, so the request path never waits
/// on the store. A change takes effect after the configured delay on every node at once, provided each has read
/// it by then (nodes refresh every second).
/// </summary>
public sealed class RouterToggle(IRouterToggleStore store, IRouterConfigSource config, TimeProvider time)
{
    private RouterToggleState? _state;

    /// <summary>Whether rules and tag routing apply right now.</summary>
    public bool IsEnabled => EnabledAt(time.GetUtcNow());

    /// <summary>The shared state last read, or null while the toggle was never changed.</summary>
    public RouterToggleState? State => Volatile.Read(ref _state);

    public RoutingConfig Settings => config.Current.Routing;

    public bool EnabledAt(DateTimeOffset now) => State is { } state ? state.EnabledAt(now) : Settings.Enabled;

    public async ValueTask<RouterToggleState?> RefreshAsync(CancellationToken cancellationToken = default)
    {
        Keep(await store.ReadAsync(cancellationToken).ConfigureAwait(false));
        return State;
    }

    public async ValueTask<RouterToggleOutcome> ChangeAsync(bool value, string? reason, string? changedBy, string? node, CancellationToken cancellationToken = default)
    {
        var settings = Settings;
        var outcome = await store.ChangeAsync(new RouterToggleRequest
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

    public ValueTask<IReadOnlyList<RouterToggleChange>> HistoryAsync(int limit, CancellationToken cancellationToken = default) =>
        store.HistoryAsync(limit, cancellationToken);

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
