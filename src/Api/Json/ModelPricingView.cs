using System.Text.Json.Serialization;

namespace LlmRouter.Api.Json;

/// <summary>A model's price in USD per 1,000 tokens, named as in router.toml (snake case alone would write "per1k").</summary>
public sealed record ModelPricingView(
    [property: JsonPropertyName("cost_per_1k_tokens")] decimal CostPer1kTokens,
    [property: JsonPropertyName("cost_per_1k_completion_tokens")] decimal CostPer1kCompletionTokens);
