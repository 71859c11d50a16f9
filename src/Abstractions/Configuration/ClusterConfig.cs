namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [cluster] table: this node's identity and roles.</summary>
public sealed record ClusterConfig
{
    /// <summary>Names this node in logs, metrics and the invocation log; defaults to the host name.</summary>
    public string? NodeId { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = ["api", "gpu"];

    /// <summary>The URL other nodes reach this one at; null means the address the node listens on.</summary>
    public string? InternalUrl { get; init; }

    /// <summary>Which llama.cpp build local models run on: <c>cpu</c> or <c>cuda</c>.</summary>
    public string LlamaBackend { get; init; } = "cpu";
}
