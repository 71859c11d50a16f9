using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Rules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Routing;

/// <summary>
/// Reads the router toggle and the REST routing rules from the store every second, so a change made on another
/// node is known here well before its delayed effect; this node's own changes are applied at once by the endpoints.
/// </summary>
public sealed partial class RoutingRefreshService(RouterToggle toggle, RoutingRuleSource rules, ILogger<RoutingRefreshService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Reads the stored rules now and logs any that had to be left out.</summary>
    public static async ValueTask RefreshRulesAsync(RoutingRuleSource rules, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var problem in await rules.RefreshAsync(cancellationToken).ConfigureAwait(false))
        {
            LogProblem(logger, problem);
        }
    }

    /// <summary>Reads both before the node serves.</summary>
    public async ValueTask RefreshAsync(CancellationToken cancellationToken)
    {
        await toggle.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await RefreshRulesAsync(rules, logger, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRefreshFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the router toggle or routing rules from the store; the previous ones stay in force")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
