namespace LlmRouter.Abstractions;

/// <summary>The outcome of a store health check.</summary>
public sealed record StoreHealthReport(bool Healthy, string? Error = null);
