using LlmRouter.Abstractions;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace LlmRouter.Api.Apis;

/// <summary>
/// GET /health: needs no credential; reports version, node, whether the store answers, and each provider's circuit.
/// Admin callers (an admin key, or a local request under the localhost rule) also see the cluster's live silos.
/// </summary>
public static partial class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync).AllowAnyCaller();
        return app;
    }

    private static async Task<JsonHttpResult<HealthResponse>> CheckAsync(
        HttpContext http, IStoreHealth store, NodeInfo node, ClusterOverview cluster, ILoggerFactory loggers,
        [FromServices] IProviderHealthSource? providers, CancellationToken cancellationToken)
    {
        var report = await store.CheckAsync(cancellationToken).ConfigureAwait(false);
        var health = new HealthResponse(
            report.Healthy ? "ok" : "degraded",
            node.Version,
            node.NodeId,
            new StorageHealth(store.Kind, report.Healthy ? "ok" : "unavailable", report.Error))
        {
            Providers = providers?.Report().Select(p => new ProviderHealth(p.Name, p.Type, p.Api, p.Circuit)).ToArray() ?? [],
            Silos = http.GetAccess().IsAdmin ? await SilosAsync(cluster, loggers, cancellationToken).ConfigureAwait(false) : null,
        };
        return TypedResults.Json(health, ApiJsonContext.Default.HealthResponse, statusCode: report.Healthy ? 200 : 503);
    }

    /// <summary>The live silos, or none when the membership cannot be read: health still answers for the node itself.</summary>
    private static async Task<IReadOnlyList<SiloView>> SilosAsync(ClusterOverview cluster, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            return await cluster.SilosAsync(includeDead: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException)
        {
            LogSilosUnavailable(loggers.CreateLogger(typeof(HealthApi).FullName!), exception);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GET /health could not read the cluster's membership")]
    private static partial void LogSilosUnavailable(ILogger logger, Exception exception);
}
