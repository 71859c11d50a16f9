using LlmRouter.Abstractions.LocalModels;
using LlmRouter.LocalModels.Grains;
using LlmRouter.LocalModels.Hosting;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// Places a local-model call: served here when this node hosts the model (and it has not failed to load),
/// else forwarded to a GPU node that does.
/// </summary>
internal sealed class LocalModelGrainFactory(
    LocalModelHost host, SessionAffinity affinity, ClusterIdentity identity, ForwardingServices forwarding, TimeProvider time) : ILocalModelGrainFactory
{
    public ILocalModelGrain GetGrain(string modelId) =>
        host.Find(modelId) is { State: not (LocalModelState.Failed or LocalModelState.Stopped) } activation
            ? new LocalModelGrain(activation, affinity, identity, time)
            : new ForwardingLocalModelGrain(modelId, host.Find(modelId)?.Error, forwarding);
}
