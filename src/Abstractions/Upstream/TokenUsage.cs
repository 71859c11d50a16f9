namespace LlmRouter.Abstractions.Upstream;

/// <summary>Tokens one call consumed, as the upstream reported them.</summary>
public readonly record struct TokenUsage(long PromptTokens, long CompletionTokens)
{
    public long TotalTokens => PromptTokens + CompletionTokens;
}
