using LlmRouter.Abstractions.Routing;

namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// The router toggle of the whole cluster, one activation (key 0): its state, delay, cooldown and history, persisted
/// in grain storage. A change is checked against the cooldown and recorded in one turn of the grain, so two nodes
/// toggling at once cannot both succeed; an accepted change is announced on the change feed (<see cref="ClusterTopic.Toggle"/>).
/// </summary>
public interface IRouterToggleGrain : IGrainWithIntegerKey
{
    /// <summary>The state, or null when the toggle was never changed.</summary>
    ValueTask<RouterToggleState?> GetStateAsync(CancellationToken cancellationToken = default);

    ValueTask<RouterToggleOutcome> ChangeAsync(RouterToggleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Accepted changes, newest first.</summary>
    ValueTask<RouterToggleChange[]> GetHistoryAsync(int limit, CancellationToken cancellationToken = default);
}
