using LlmRouter.Api.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Apis;

/// <summary>GET /metrics: this node's metrics, exported by OpenTelemetry's Prometheus exporter, for scraping.</summary>
public static class MetricsApi
{
    /// <summary>
    /// Maps /metrics as a routed endpoint, so the router's authentication middleware sees it like any other;
    /// the returned builder is where access rules attach.
    /// </summary>
    public static IEndpointConventionBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        // The router's instruments are created with it: the first scrape, before any call, already shows them.
        app.ServiceProvider.GetRequiredService<RouterMetrics>();
        return app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
    }
}
