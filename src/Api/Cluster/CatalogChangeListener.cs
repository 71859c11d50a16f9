using LlmRouter.Abstractions.Cluster;
using LlmRouter.Api.Auth;
using LlmRouter.Grains.Catalog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Cluster;

/// <summary>Rereads the catalog from the store whenever any node announces a change (or the broadcast reconnects).</summary>
public sealed partial class CatalogChangeListener(IClusterBroadcast broadcast, CatalogOverlay overlay, ILogger<CatalogChangeListener> logger) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = broadcast.Subscribe(CatalogAnnouncements.Topic, announcement => _ = RefreshAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();

    private async Task RefreshAsync()
    {
        try
        {
            await CatalogRefreshService.RefreshAsync(overlay, logger, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogRefreshFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A catalog change was announced but the store could not be read; the next poll retries")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
