namespace LlmRouter.Api.Json;

/// <summary>One provider in <see cref="HealthResponse"/>: its wire API and its circuit (closed, open, half_open, isolated, disabled).</summary>
public sealed record ProviderHealth(string Name, string Type, string Api, string Circuit);
