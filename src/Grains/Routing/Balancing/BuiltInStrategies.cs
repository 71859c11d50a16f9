namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>The strategies this build knows, by their <see cref="LlmRouter.Abstractions.Configuration.BalancingStrategies"/> names.</summary>
public static class BuiltInStrategies
{
    /// <summary><paramref name="random"/> answers uniformly in [0, 1) (Random.Shared.NextDouble in a node).</summary>
    public static IReadOnlyList<IBalancingStrategy> Create(IModelLatencies latencies, IModelLoad load, Func<double> random) =>
    [
        new RoundRobinStrategy(),
        new WeightedRandomStrategy(random),
        new LeastLatencyStrategy(latencies),
        new LeastBusyStrategy(load),
    ];
}
