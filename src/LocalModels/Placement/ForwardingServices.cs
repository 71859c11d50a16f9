using LlmRouter.Abstractions.Configuration;
using LlmRouter.Providers.Http;
using LlmRouter.Providers.OpenAiCompatible;
using Microsoft.Extensions.Logging;

namespace LlmRouter.LocalModels.Placement;

/// <summary>What forwarding a local-model call to another node needs, built once per node.</summary>
internal sealed class ForwardingServices(
    NodeDirectory directory, SessionAffinity affinity, ClusterSecret secret, UpstreamHttpClients clients,
    IRouterConfigSource config, ILogger<ForwardingServices> logger)
{
    public NodeDirectory Directory => directory;
    public SessionAffinity Affinity => affinity;
    public ClusterSecret Secret => secret;
    public IRouterConfigSource Config => config;
    public ILogger Logger => logger;
    public OpenAiCompatibleAdapter Adapter { get; } = new(clients);
}
