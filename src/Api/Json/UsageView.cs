namespace LlmRouter.Api.Json;

/// <summary>Token usage in OpenAI's field names.</summary>
public sealed record UsageView(long PromptTokens, long CompletionTokens, long TotalTokens);
