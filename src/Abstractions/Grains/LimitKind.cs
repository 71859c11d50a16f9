namespace LlmRouter.Abstractions.Grains;

/// <summary>Which limit a refusal came from.</summary>
[GenerateSerializer, Alias("limit-kind")]
public enum LimitKind
{
    None,
    ModelRequests,
    ModelTokens,
    KeyRequests,
    KeyTokens,
    KeyBudget,
}
