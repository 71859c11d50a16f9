using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Cluster;
using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Balancing;
using LlmRouter.Grains.Routing.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Routing;

/// <summary>Registers routing (planner, strategies, cluster-wide latency and load tracking, toggle, rules).</summary>
public static class RoutingServiceExtensions
{
    /// <summary>Needs the routing rule store (IRoutingRuleStore).</summary>
    public static IServiceCollection AddRouterRouting(this IServiceCollection services)
    {
        services.AddSingleton<LatencyTracker>();
        services.AddSingleton<IModelLatencies>(sp => sp.GetRequiredService<LatencyTracker>());
        services.AddSingleton<IInvocationListener>(sp => sp.GetRequiredService<LatencyTracker>());
        services.AddSingleton<InFlightTracker>();
        services.AddSingleton<IModelLoad>(sp => sp.GetRequiredService<InFlightTracker>());
        services.AddSingleton<RoutingLoadSync>();
        services.AddHostedService<RoutingLoadReporter>();
        services.AddSingleton(sp => new GroupBalancer(BuiltInStrategies.Create(
            sp.GetRequiredService<IModelLatencies>(), sp.GetRequiredService<IModelLoad>(), Random.Shared.NextDouble)));
        services.AddSingleton<RoutingStatistics>();
        services.AddSingleton<RoutePlanner>();
        services.AddSingleton<RouterToggle>();
        services.AddSingleton<RoutingRuleSource>();
        services.AddSingleton<RoutingRefreshService>();
        services.AddSingleton(sp => new ClusterChangeHandler(ClusterTopic.Rules, sp.GetRequiredService<RoutingRefreshService>().RefreshRulesAsync));
        services.AddSingleton(sp => new ClusterChangeHandler(ClusterTopic.Toggle, sp.GetRequiredService<RoutingRefreshService>().RefreshToggleAsync));
        return services;
    }

    /// <summary>Reads the stored rules before the node serves (the toggle's grain is read once the silo runs: <see cref="ClusterChangeWatcher"/>).</summary>
    public static async Task UseRouterRoutingAsync(this WebApplication app) =>
        await app.Services.GetRequiredService<RoutingRefreshService>().RefreshRulesAsync(CancellationToken.None).ConfigureAwait(false);
}
