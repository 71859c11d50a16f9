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

    /// <summary>The call alone needs more tokens than the window holds; waiting does not help.</summary>
    TooLarge,
}
