using LlmRouter.Abstractions;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>GET /health: no authentication; reports version, node, whether the store answers, and each provider's circuit.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync).AllowAnonymous();
        return app;
    }

    private static async Task<JsonHttpResult<HealthResponse>> CheckAsync(
        IStoreHealth store, NodeInfo node, [FromServices] IProviderHealthSource? providers, CancellationToken cancellationToken)
    {
        var report = await store.CheckAsync(cancellationToken).ConfigureAwait(false);
        var health = new HealthResponse(
            report.Healthy ? "ok" : "degraded",
            node.Version,
            node.NodeId,
            new StorageHealth(store.Kind, report.Healthy ? "ok" : "unavailable", report.Error))
        {
            Providers = providers?.Report().Select(p => new ProviderHealth(p.Name, p.Type, p.Api, p.Circuit)).ToArray() ?? [],
        };
        return TypedResults.Json(health, ApiJsonContext.Default.HealthResponse, statusCode: report.Healthy ? 200 : 503);
    }
}
