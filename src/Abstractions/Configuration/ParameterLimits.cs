namespace LlmRouter.Abstractions.Configuration;

/// <summary>Upper bounds a key's requests are clamped to.</summary>
public sealed record ParameterLimits
{
    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
}
