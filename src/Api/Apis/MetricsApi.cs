using LlmRouter.Api.Auth;
using LlmRouter.Api.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Apis;

/// <summary>
/// GET /metrics: this node's metrics, exported by OpenTelemetry's Prometheus exporter, for scraping. Its series name
/// every API key with its spend, so only admins read them, unless the operator makes the endpoint public (for a
/// Prometheus on a private network).
/// </summary>
public static class MetricsApi
{
    /// <summary>
    /// Maps /metrics as a routed endpoint, so the router's authentication middleware sees it like any other;
    /// the exporter runs in a branch that first lets only admins through when the endpoint is not public.
    /// </summary>
    public static IEndpointConventionBuilder MapMetricsApi(this IEndpointRouteBuilder app, bool isPublic)
    {
        // The router's instruments are created with it: the first scrape, before any call, already shows them.
        app.ServiceProvider.GetRequiredService<RouterMetrics>();
        var endpoint = app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null,
            configureBranchedPipeline: isPublic ? null : branch => branch.Use(AdminsOnly), optionsName: null);
        endpoint.WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        return isPublic ? endpoint.AllowAnonymous() : endpoint;
    }

    private static Task AdminsOnly(HttpContext http, RequestDelegate next) =>
        http.GetAccess().IsAdmin ? next(http) : ErrorWriter.WriteAsync(http, AccessErrors.AdminRequired());
}
