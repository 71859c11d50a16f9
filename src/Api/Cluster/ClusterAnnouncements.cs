using LlmRouter.Abstractions;
using LlmRouter.Abstractions.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Cluster;

/// <summary>
/// Tells the other nodes that something was changed over REST here (a version raised on the change feed grain), so
/// they reread it within <see cref="ClusterChangeWatcher.PollInterval"/>. This node has already reread it itself.
/// </summary>
public static partial class ClusterAnnouncements
{
    public static async Task PublishAsync(HttpContext http, ClusterTopic topic)
    {
        var services = http.RequestServices;
        try
        {
            await services.GetRequiredService<IGrainFactory>().GetGrain<IChangeFeedGrain>(0).AnnounceAsync(topic, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPublishFailed(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClusterAnnouncements)), exception, WireNames<ClusterTopic>.Of(topic));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce a change of {Topic} to the other nodes; they see it when the change feed next moves or restarts")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string topic);
}
