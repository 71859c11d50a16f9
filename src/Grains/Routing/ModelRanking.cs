namespace LlmRouter.Grains.Routing;

/// <summary>
/// The order in which models that fit a route are preferred: higher configured priority first, then lower
/// observed latency on this node (a model never observed counts as 0 ms, so each gets tried), then lower price
/// (prompt plus completion per 1k tokens), then configuration order.
/// </summary>
public static class ModelRanking
{
    public static IReadOnlyList<ResolvedModel> Rank(IEnumerable<ResolvedModel> models, IModelLatencies latencies) =>
        models
            .OrderByDescending(m => m.Model.Priority)
            .ThenBy(m => latencies.LatencyMs(m.Id) ?? 0)
            .ThenBy(m => m.Model.Config.CostPer1kTokens + m.Model.Config.CostPer1kCompletionTokens)
            .ToArray();
}
