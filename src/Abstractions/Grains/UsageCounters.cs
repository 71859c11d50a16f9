namespace LlmRouter.Abstractions.Grains;

/// <summary>Settled usage of one model, key or session since it was first used.</summary>
[GenerateSerializer, Immutable, Alias("usage-counters")]
public sealed record UsageCounters(long Requests, long PromptTokens, long CompletionTokens, decimal CostUsd)
{
    public static UsageCounters None { get; } = new(0, 0, 0, 0m);

    public long TotalTokens => PromptTokens + CompletionTokens;
}
