namespace LlmRouter.Api.Json;

/// <summary>A model's price in USD per 1,000 tokens.</summary>
public sealed record ModelPricingView(decimal CostPer1kTokens, decimal CostPer1kCompletionTokens);
