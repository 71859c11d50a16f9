namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [cluster] table: this node's identity and roles.</summary>
public sealed record ClusterConfig
{
    /// <summary>Names this node in logs, metrics and the invocation log; defaults to the host name.</summary>
    public string? NodeId { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = ["api", "gpu"];
}
