using LlmRouter.Grains.Catalog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Auth;

/// <summary>
/// Polls the store for providers and models changed over REST on other nodes; this node's own changes are
/// published at once by the endpoints that make them.
/// </summary>
public sealed partial class CatalogRefreshService(CatalogOverlay overlay, ILogger<CatalogRefreshService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Reads the store now and logs any stored definition that had to be left out.</summary>
    public static async ValueTask RefreshAsync(CatalogOverlay overlay, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var problem in await overlay.RefreshAsync(cancellationToken).ConfigureAwait(false))
        {
            LogProblem(logger, problem);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync(overlay, logger, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRefreshFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the catalog from the store; the previous one stays in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
