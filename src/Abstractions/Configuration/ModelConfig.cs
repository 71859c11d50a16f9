using System.Text.Json;

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

    /// <summary>A JSON object merged over the outgoing upstream body (JSON Merge Patch: null removes a key).</summary>
    public JsonElement? RewriteBody { get; init; }

    /// <summary>The response pipeline for this model's answers (a <see cref="PipelineNames"/> name) unless the API key names one.</summary>
    public string? Pipeline { get; init; }

    public string Id => $"{Provider}/{Name}";
    public string UpstreamName => UpstreamModel ?? Name;
}
