namespace LlmRouter.Abstractions.Upstream;

/// <summary>Tokens one call consumed, as the upstream reported them.</summary>
[GenerateSerializer, Immutable, Alias("token-usage")]
public readonly record struct TokenUsage([property: Id(0)] long PromptTokens, [property: Id(1)] long CompletionTokens)
{
    public long TotalTokens => PromptTokens + CompletionTokens;
}
