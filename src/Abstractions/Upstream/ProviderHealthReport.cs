namespace LlmRouter.Abstractions.Upstream;

/// <summary>One provider's circuit as the health endpoint shows it: <c>closed</c>, <c>open</c>, <c>half_open</c> or <c>isolated</c>.</summary>
public sealed record ProviderHealthReport(string Name, string Type, string Api, string Circuit);
