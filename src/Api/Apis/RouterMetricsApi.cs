using LlmRouter.Api.Auth;
using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// GET /router/metrics (admins): this node's routing decisions since it started (by kind, by rule, group picks,
/// fallbacks), kept per node (the invocation log's group and rule columns give the cluster-wide picture), and the
/// per-model figures balancing uses (calls in flight, latency moving average), which are the cluster's.
/// </summary>
public static class RouterMetricsApi
{
    public static IEndpointRouteBuilder MapRouterMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/router/metrics", Metrics).AddEndpointFilter<AdminOnlyFilter>();
        return app;
    }

    private static IResult Metrics(
        RoutingStatistics statistics, LatencyTracker latencies, InFlightTracker load, ModelCatalogSource catalog, RoutingRuleSource rules,
        RouterToggle toggle, NodeInfo node)
    {
        var current = catalog.Current;
        var hits = statistics.RuleHits;
        var groups = current.Config.ModelGroups.Select(g => new GroupMetricsView(g.Name, g.Strategy, g.Members
            .Select(m => new GroupMemberView(m.Model, m.Weight, statistics.GroupPicks(g.Name, m.Model), load.InFlight(m.Model), latencies.LatencyMs(m.Model)))
            .ToArray())).ToArray();
        var models = current.Models
            .Select(m => new RoutedModelView(m.Id, load.InFlight(m.Id), latencies.LatencyMs(m.Id), latencies.Samples(m.Id)))
            .ToArray();
        var response = new RouterMetricsResponse(
            node.NodeId,
            node.StartedAt,
            toggle.IsEnabled,
            statistics.Decisions,
            rules.Current.All.Select(r => new RuleHitsView(r.Name, hits.GetValueOrDefault(r.Name))).ToArray(),
            groups,
            statistics.Fallbacks.Select(f => new FallbackCountView(f.From, f.To, f.Count)).ToArray(),
            models);
        return TypedResults.Json(response, RoutingJsonContext.Default.RouterMetricsResponse);
    }
}
