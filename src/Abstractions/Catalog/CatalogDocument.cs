namespace LlmRouter.Abstractions.Catalog;

/// <summary>A provider or model defined over REST, kept as its JSON definition with a version for optimistic updates.</summary>
public sealed record CatalogDocument(string Key, string Json, long Version, DateTimeOffset UpdatedAt);
