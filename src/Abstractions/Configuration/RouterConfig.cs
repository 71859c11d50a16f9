namespace LlmRouter.Abstractions.Configuration;

/// <summary>The whole router configuration: one immutable snapshot, replaced as a whole on reload.</summary>
public sealed record RouterConfig
{
    public ServerConfig Server { get; init; } = new();
    public FrontendConfig Frontend { get; init; } = new();
    public IReadOnlyList<ProviderConfig> Providers { get; init; } = [];
    public IReadOnlyList<ModelConfig> Models { get; init; } = [];
    public IReadOnlyList<ApiKeyConfig> ApiKeys { get; init; } = [];
    public IReadOnlyList<ModelGroupConfig> ModelGroups { get; init; } = [];
    public ClusterConfig Cluster { get; init; } = new();
    public MonitoringConfig Monitoring { get; init; } = new();

    /// <summary>The file this snapshot was read from, or null when only defaults and environment apply.</summary>
    public string? SourcePath { get; init; }
}
