namespace LlmRouter.Abstractions.Grains;

/// <summary>Which limit a refusal came from.</summary>
public enum LimitKind
{
    None,
    ModelRequests,
    ModelTokens,
    KeyRequests,
    KeyTokens,
    KeyBudget,
}
