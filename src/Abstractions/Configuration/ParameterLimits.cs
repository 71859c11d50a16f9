namespace LlmRouter.Abstractions.Configuration;

/// <summary>Upper bounds a key's requests are clamped to.</summary>
public sealed record ParameterLimits
{
    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }

    /// <summary>The most choices (<c>n</c>) one request may ask for: each is billed as a completion of its own.</summary>
    public int? N { get; init; }
}
