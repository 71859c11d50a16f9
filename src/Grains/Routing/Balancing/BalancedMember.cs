namespace LlmRouter.Grains.Routing.Balancing;

/// <summary>A group member as a strategy sees it: what it names (a model id or a group) and its weight.</summary>
public readonly record struct BalancedMember(string Name, int Weight);
