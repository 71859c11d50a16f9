namespace LlmRouter.Abstractions.Configuration;

/// <summary>One [[providers]] entry: an upstream service and how to reach it.</summary>
public sealed record ProviderConfig
{
    public required string Name { get; init; }
    public required string Type { get; init; }

    /// <summary>Name of the environment variable holding the upstream key (preferred over <see cref="ApiKey"/>).</summary>
    public string? ApiKeyEnv { get; init; }

    /// <summary>A literal upstream key (discouraged; use <see cref="ApiKeyEnv"/>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Overrides the provider type's default base URL.</summary>
    public string? BaseUrl { get; init; }

    public bool IsActive { get; init; } = true;

    /// <summary>Provider-specific settings (<c>endpoint</c>, <c>allow_unlisted_models</c>, …) as plain .NET values.</summary>
    public IReadOnlyDictionary<string, object?> Settings { get; init; } = new Dictionary<string, object?>();

    public string? Setting(string key) =>
        Settings.TryGetValue(key, out var value) ? value?.ToString() : null;

    public bool SettingFlag(string key) =>
        Settings.TryGetValue(key, out var value) && value is true;
}
