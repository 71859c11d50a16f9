namespace LlmRouter.Api.Json;

/// <summary>A key's parameter_limits as shown over REST.</summary>
public sealed record ParameterLimitsView(int? MaxTokens, double? Temperature, double? TopP, int? N);
