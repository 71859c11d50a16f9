namespace LlmRouter.Api.Json;

/// <summary>The store part of <see cref="HealthResponse"/>.</summary>
public sealed record StorageHealth(string Kind, string Status, string? Error);
