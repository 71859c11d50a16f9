namespace LlmRouter.Abstractions.Configuration;

/// <summary>What a rule requires of a request; every condition given must hold, and a rule without any matches every request.</summary>
public sealed record RoutingRuleConditions
{
    /// <summary>A .NET regular expression searched for in the last user message.</summary>
    public string? Regex { get; init; }

    /// <summary>Inclusive bounds on the last user message's complexity score (0–100).</summary>
    public int? MinComplexity { get; init; }

    public int? MaxComplexity { get; init; }

    /// <summary>The model names (as the client wrote them, or as they resolve) the rule is limited to.</summary>
    public IReadOnlyList<string>? Models { get; init; }
}
