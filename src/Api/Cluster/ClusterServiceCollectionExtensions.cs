using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Cluster;

/// <summary>Registers what keeps the nodes of a cluster in step (the broadcast itself comes with the store).</summary>
public static class ClusterServiceCollectionExtensions
{
    public static IServiceCollection AddRouterClusterSync(this IServiceCollection services)
    {
        services.AddHostedService<CatalogChangeListener>();
        return services;
    }
}
