namespace LlmRouter.Abstractions.Configuration;

/// <summary>Upper bounds a key's requests are clamped to.</summary>
public sealed record ParameterLimits
{
    /// <summary>The ranges OpenAI's API accepts; a limit outside them could never be reached or would pass bad values on.</summary>
    public const double MinTemperature = 0;
    public const double MaxTemperature = 2;
    public const double MinTopP = 0;
    public const double MaxTopP = 1;

    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }

    /// <summary>The most choices (<c>n</c>) one request may ask for: each is billed as a completion of its own.</summary>
    public int? N { get; init; }
}
