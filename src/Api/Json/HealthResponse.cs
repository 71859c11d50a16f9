using System.Text.Json.Serialization;

namespace LlmRouter.Api.Json;

/// <summary>What GET /health answers.</summary>
public sealed record HealthResponse(string Status, string Version, string Node, StorageHealth Storage)
{
    /// <summary>Each active provider's circuit-breaker state.</summary>
    public IReadOnlyList<ProviderHealth> Providers { get; init; } = [];

    /// <summary>The cluster's live silos: shown to admin callers only, as silo addresses are internal details.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SiloView>? Silos { get; init; }
}
