namespace LlmRouter.Api.Json;

/// <summary>A key's budget as shown over REST.</summary>
public sealed record BudgetView(decimal LimitUsd, string Period);
