namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [cluster] table: this node's identity and roles.</summary>
public sealed record ClusterConfig
{
    /// <summary>Names this node in logs, metrics and the invocation log; defaults to the host name.</summary>
    public string? NodeId { get; init; }

    /// <summary><c>silo</c>, <c>gpu</c> (a silo that hosts local models) or <c>api</c> (a front-end); see <see cref="Cluster.NodeRoles"/>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = Cluster.NodeRoles.Default;

    /// <summary>Which llama.cpp build local models run on: <c>cpu</c> or <c>cuda</c>.</summary>
    public string LlamaBackend { get; init; } = "cpu";

    /// <summary>The port silos talk to each other on; 0 picks a free port at start (so nodes can share a machine).</summary>
    public int SiloPort { get; init; }

    /// <summary>The port Orleans clients (front-ends) reach this silo on; 0 picks a free port at start.</summary>
    public int GatewayPort { get; init; }

    /// <summary>The IP address or host name other silos reach this one at; null means loopback when embedded, else the host's address.</summary>
    public string? AdvertisedAddress { get; init; }

    /// <summary>Names the Orleans cluster in the membership table: nodes on one database with the same id form one cluster.</summary>
    public string ClusterId { get; init; } = "llm-router";

    /// <summary>How often a grain writes changed state behind (seconds): what a silo killed mid-interval can lose.</summary>
    public double PersistIntervalSeconds { get; init; } = 1;

    /// <summary>Whether Orleans' dashboard is mounted at /dashboard (admins only); it profiles grain calls while viewed.</summary>
    public bool Dashboard { get; init; }
}
