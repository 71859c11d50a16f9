namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>A model group's load-balancing strategy; <see cref="Name"/> is what a [[model_groups]] <c>strategy</c> names.</summary>
public interface IBalancingStrategy
{
    string Name { get; }

    /// <summary>
    /// Orders a group's members: the one to try first, then the others in the order to fall back to. Members of
    /// weight 0 are never chosen first; they come last, in configuration order, as standbys.
    /// </summary>
    int[] Order(IReadOnlyList<BalancedMember> members, SmoothWeightedRoundRobin rotation);
}
