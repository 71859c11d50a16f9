using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.LocalModels;
using LlmRouter.LocalModels.Api;
using LlmRouter.LocalModels.Cluster;
using LlmRouter.LocalModels.Hosting;
using LlmRouter.LocalModels.Placement;
using LlmRouter.Providers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmRouter.LocalModels;

/// <summary>Registers local models: hosting on GPU nodes, placement and forwarding, the node heartbeat and the internal endpoints.</summary>
public static class LocalModelsExtensions
{
    /// <summary>Needs an <c>INodeRegistry</c>, an <c>IRouterConfigSource</c>, a <c>RouterEnvironment</c> and <c>UpstreamHttpClients</c>.</summary>
    public static IServiceCollection AddLocalModels(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => ClusterIdentity.From(sp.GetRequiredService<IRouterConfigSource>().Current.Cluster));
        services.AddSingleton<ClusterSecret>();
        services.AddSingleton<LocalModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalModelHost>());
        services.AddSingleton<NodeDirectory>();
        services.AddSingleton<SessionAffinity>();
        services.AddSingleton<ForwardingServices>();
        services.AddSingleton<ILocalModelGrainFactory, LocalModelGrainFactory>();
        services.AddSingleton<IProviderAdapter, LlamaCppAdapter>();
        services.AddHostedService<NodeHeartbeat>();
        return services;
    }

    public static IEndpointRouteBuilder MapLocalModels(this IEndpointRouteBuilder app) => app.MapLocalModelInternalApi();
}
