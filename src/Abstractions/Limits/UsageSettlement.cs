namespace LlmRouter.Abstractions.Limits;

/// <summary>One finished invocation to count, applied at most once per <see cref="Id"/> (its reservation's id).</summary>
public sealed record UsageSettlement
{
    public required string Id { get; init; }
    public required string ModelId { get; init; }
    public string? KeyId { get; init; }
    public string? SessionId { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long CostNanoUsd { get; init; }
}
