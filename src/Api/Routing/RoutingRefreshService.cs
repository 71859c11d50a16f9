using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Rules;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Routing;

/// <summary>
/// Reads the REST routing rules (from the store) and the router toggle (from its grain) once the node's silo has
/// started and before it serves, and again when the cluster's change feed announces a change of either; this node's own changes are applied at once by
/// the endpoints. Nothing polls the store.
/// </summary>
public sealed partial class RoutingRefreshService(RouterToggle toggle, RoutingRuleSource rules, ILogger<RoutingRefreshService> logger)
{
    /// <summary>Reads the stored rules now and logs any that had to be left out.</summary>
    public static async ValueTask RefreshRulesAsync(RoutingRuleSource rules, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var problem in await rules.RefreshAsync(cancellationToken).ConfigureAwait(false))
        {
            LogProblem(logger, problem);
        }
    }

    /// <summary>Rereads the rules (on a change of <see cref="Abstractions.Grains.ClusterTopic.Rules"/>).</summary>
    public ValueTask RefreshRulesAsync(CancellationToken cancellationToken) => RefreshRulesAsync(rules, logger, cancellationToken);

    /// <summary>Rereads the toggle (on a change of <see cref="Abstractions.Grains.ClusterTopic.Toggle"/>).</summary>
    public async ValueTask RefreshToggleAsync(CancellationToken cancellationToken) => await toggle.RefreshAsync(cancellationToken).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routing: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
