using Microsoft.AspNetCore.Builder;
using LlmRouter.Api.Apis;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Pipeline;
using LlmRouter.Api.Routing;
using LlmRouter.Api.Cluster;
using LlmRouter.Api.Limits;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api;

/// <summary>Registers and maps the router's HTTP API.</summary>
public static class RouterApiExtensions
{
    public static IServiceCollection AddRouterApi(this IServiceCollection services)
    {
        services.AddSingleton<ModelCatalogSource>();
        services.AddChatPipeline();
        services.AddSingleton<ClientAddresses>();
        services.AddSingleton<CredentialGuessThrottle>();
        services.AddSingleton(TimeProvider.System);
        services.AddRouterAccess();
        services.AddRouterRouting();
        services.AddRouterLimits();
        services.AddRouterClusterSync();
        services.AddSingleton<ClusterOverview>();
        return services;
    }

    public static IEndpointRouteBuilder MapRouterApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthApi();
        app.MapClusterApi();
        app.MapOpenAiApi();
        app.MapNativeApi();
        app.MapMonitorApi();
        app.MapCostApi();
        app.MapMetricsApi(app.ServiceProvider.GetRequiredService<IRouterConfigSource>().Current.Monitoring.MetricsPublic);
        app.MapAuthApi();
        app.MapApiKeysApi();
        app.MapCatalogAdminApi();
        app.MapAnthropicApi();
        app.MapResponsesApi();
        app.MapRouterToggleApi();
        app.MapRoutingRulesApi();
        app.MapRouterMetricsApi();
        app.MapConsoleApi();
        return app;
    }
}
