namespace LlmRouter.Abstractions.Routing;

/// <summary>
/// The router toggle shared by every node: one row of state and an append-only history. A change is one atomic
/// step (state and history together), checked against the cooldown inside that step, so two nodes toggling at
/// once cannot both succeed.
/// </summary>
public interface IRouterToggleStore
{
    /// <summary>The stored state, or null when the toggle was never changed.</summary>
    ValueTask<RouterToggleState?> ReadAsync(CancellationToken cancellationToken = default);

    ValueTask<RouterToggleOutcome> ChangeAsync(RouterToggleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Accepted changes, newest first.</summary>
    ValueTask<IReadOnlyList<RouterToggleChange>> HistoryAsync(int limit, CancellationToken cancellationToken = default);
}
