using LlmRouter.Api.Catalog;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Auth;

/// <summary>
/// Rereads the providers and models kept in the store: at start, after a change made over REST on this node, and when
/// another node announces one on the cluster's change feed (see <c>ClusterChangeWatcher</c>); nothing polls the store.
/// </summary>
public static partial class CatalogRefresh
{
    /// <summary>Reads the store now and logs any stored definition that had to be left out.</summary>
    public static async ValueTask RefreshAsync(CatalogOverlay overlay, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var problem in await overlay.RefreshAsync(cancellationToken).ConfigureAwait(false))
        {
            LogProblem(logger, problem);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
