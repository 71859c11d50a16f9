using LlmRouter.Abstractions.Cluster;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Cluster;

/// <summary>
/// Tells the other nodes that providers or models were changed over REST here, so they reread the store within a
/// second instead of at their next poll. Losing the message only delays them until that poll.
/// </summary>
public static partial class CatalogAnnouncements
{
    public const string Topic = "catalog";

    public static async Task PublishAsync(HttpContext http)
    {
        var services = http.RequestServices;
        try
        {
            await services.GetRequiredService<IClusterBroadcast>().PublishAsync(Topic, services.GetRequiredService<NodeInfo>().NodeId, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPublishFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CatalogAnnouncements)), exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce a catalog change to the other nodes; they pick it up at their next poll")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
