using System.Security.Cryptography;
using System.Text;
using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.LocalModels.Placement;

/// <summary>
/// The shared secret nodes present to each other's internal endpoints (LLM_ROUTER_CLUSTER_SECRET). Without it a
/// node neither forwards local-model calls nor accepts forwarded ones. Compared in constant time; never logged.
/// </summary>
public sealed class ClusterSecret
{
    public const string Variable = "LLM_ROUTER_CLUSTER_SECRET";

    private readonly byte[]? _hash;

    public ClusterSecret(RouterEnvironment environment)
    {
        Value = environment.Get(Variable) is { Length: > 0 } secret ? secret : null;
        _hash = Value is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(Value));
    }

    /// <summary>The secret to send, or null when none is configured.</summary>
    public string? Value { get; }

    public bool IsConfigured => Value is not null;

    public bool Matches(string? presented) =>
        _hash is not null && presented is not null
        && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
