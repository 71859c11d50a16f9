namespace LlmRouter.Abstractions.Configuration;

/// <summary>Where a matching rule sends a request: <see cref="Kind"/> is one of <see cref="RoutingRuleActions"/>, <see cref="Target"/> the name.</summary>
public sealed record RoutingRuleAction(string Kind, string Target);
