using LlmRouter.Api.Auth;
using LlmRouter.Api.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace LlmRouter.Api.Apis;

/// <summary>GET /cluster, for admins: the silos with their role, status and activations, and activations by grain type.</summary>
public static partial class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cluster", ReadAsync).AddEndpointFilter<AdminOnlyFilter>();
        return app;
    }

    private static async Task<IResult> ReadAsync(ClusterOverview cluster, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            var overview = await cluster.ReadAsync(cancellationToken).ConfigureAwait(false);
            return TypedResults.Json(overview, ApiJsonContext.Default.ClusterResponse);
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException)
        {
            LogUnavailable(loggers.CreateLogger(typeof(ClusterApi).FullName!), exception);
            return ErrorWriter.Result(Unavailable());
        }
    }

    internal static ApiError Unavailable() =>
        new(503, "api_error", "The cluster's membership could not be read; try again shortly.", Code: "cluster_unavailable");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the cluster's membership")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
