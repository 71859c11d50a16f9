using LlmRouter.Abstractions.Grains;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Cluster;

/// <summary>Registers what keeps the nodes of a cluster in step: the change feed watcher and the catalog's handler.</summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>Register after the silo (or cluster client), whose start the watcher's first poll needs.</summary>
    public static IServiceCollection AddRouterClusterSync(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var overlay = sp.GetRequiredService<CatalogOverlay>();
            var logger = sp.GetRequiredService<ILogger<CatalogOverlay>>();
            return new ClusterChangeHandler(ClusterTopic.Catalog, cancellationToken => CatalogRefresh.RefreshAsync(overlay, logger, cancellationToken));
        });
        services.AddHostedService<ClusterChangeWatcher>();
        return services;
    }
}
