using LlmRouter.Abstractions;
using LlmRouter.Api.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>GET /health: no authentication; reports version, node and whether the store answers.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync).AllowAnonymous();
        return app;
    }

    private static async Task<JsonHttpResult<HealthResponse>> CheckAsync(IStoreHealth store, NodeInfo node, CancellationToken cancellationToken)
    {
        var report = await store.CheckAsync(cancellationToken).ConfigureAwait(false);
        var health = new HealthResponse(
            report.Healthy ? "ok" : "degraded",
            node.Version,
            node.NodeId,
            new StorageHealth(store.Kind, report.Healthy ? "ok" : "unavailable", report.Error));
        return TypedResults.Json(health, ApiJsonContext.Default.HealthResponse, statusCode: report.Healthy ? 200 : 503);
    }
}
