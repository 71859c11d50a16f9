namespace LlmRouter.Abstractions.Configuration;

/// <summary>One [[models]] entry, addressed by clients as <c>provider/name</c>.</summary>
public sealed record ModelConfig
{
    public required string Name { get; init; }
    public required string Provider { get; init; }
    public string? DisplayName { get; init; }

    /// <summary>The model name sent upstream when it differs from <see cref="Name"/>.</summary>
    public string? UpstreamModel { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
    public bool IsActive { get; init; } = true;

    /// <summary>Higher wins when several models fit a route.</summary>
    public int Priority { get; init; }

    public RateLimitConfig? RateLimit { get; init; }
    public ModelCapabilities Config { get; init; } = new();
    public IReadOnlyList<string> Fallbacks { get; init; } = [];

    public string Id => $"{Provider}/{Name}";
    public string UpstreamName => UpstreamModel ?? Name;
}
