using LlmRouter.Api.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>GET /metrics: this node's metrics in the Prometheus text exposition format, for scraping.</summary>
public static class MetricsApi
{
    /// <summary>Maps /metrics; the returned builder is where access rules attach.</summary>
    public static IEndpointConventionBuilder MapMetricsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", (RouterMetrics metrics, NodeInfo node) =>
            TypedResults.Text(PrometheusExposition.Render(metrics, node), PrometheusExposition.ContentType));
}
