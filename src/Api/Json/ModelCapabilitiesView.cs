namespace LlmRouter.Api.Json;

/// <summary>A model's capabilities as clients see them.</summary>
public sealed record ModelCapabilitiesView(string? ContextWindow, bool SupportsVision, bool SupportsTools, IReadOnlyList<string> Languages, bool SupportsEmbeddings);
