namespace LlmRouter.Api.Json;

/// <summary>What GET /health answers.</summary>
public sealed record HealthResponse(string Status, string Version, string Node, StorageHealth Storage)
{
    /// <summary>Each active provider's circuit-breaker state.</summary>
    public IReadOnlyList<ProviderHealth> Providers { get; init; } = [];
}
