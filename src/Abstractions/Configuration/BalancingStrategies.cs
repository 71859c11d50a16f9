namespace LlmRouter.Abstractions.Configuration;

/// <summary>The strategies a [[model_groups]] entry may name.</summary>
public static class BalancingStrategies
{
    /// <summary>Smooth weighted round robin, as nginx does it.</summary>
    public const string RoundRobin = "roundrobin";

    /// <summary>Weighted random.</summary>
    public const string Random = "random";

    /// <summary>The member with the lowest moving average of observed latency.</summary>
    public const string LeastLatency = "least_latency";

    /// <summary>The member with the fewest calls in flight on this node, relative to its weight.</summary>
    public const string LeastBusy = "least_busy";

    public static IReadOnlyList<string> All { get; } = [RoundRobin, Random, LeastLatency, LeastBusy];
}
