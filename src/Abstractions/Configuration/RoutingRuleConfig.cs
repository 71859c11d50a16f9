namespace LlmRouter.Abstractions.Configuration;

/// <summary>
/// One routing rule ([[routing_rules]] or POST /router/rules): when every condition holds for a chat request, its
/// action picks where the request goes. Rules are tried by descending priority, then in definition order.
/// </summary>
public sealed record RoutingRuleConfig
{
    public required string Name { get; init; }
    public int Priority { get; init; }
    public bool IsActive { get; init; } = true;
    public RoutingRuleConditions Conditions { get; init; } = new();
    public required RoutingRuleAction Action { get; init; }
}
