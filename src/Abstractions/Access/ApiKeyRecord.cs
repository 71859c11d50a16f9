using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Abstractions.Access;

/// <summary>
/// A client API key as the router knows it: its policy and the HMAC of its secret (never the secret itself).
/// Keys from router.toml and keys created over REST share this shape; <see cref="Source"/> tells them apart.
/// </summary>
public sealed record ApiKeyRecord : ApiKeyTerms
{
    public ApiKeyRecord()
    {
    }

    /// <summary>A key held on <paramref name="terms"/> (from router.toml or a creation request); its identity is set by the caller.</summary>
    public ApiKeyRecord(ApiKeyTerms terms)
        : base(terms)
    {
    }

    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>HMAC-SHA256 of the secret under the deployment's pepper, lowercase hex; null when a config key's variable is unset.</summary>
    public string? SecretHash { get; init; }

    /// <summary>Where the key is defined: <see cref="ApiKeySources.Config"/> or <see cref="ApiKeySources.Store"/>.</summary>
    public string Source { get; init; } = ApiKeySources.Store;

    /// <summary>When the key was created (null for keys defined in router.toml).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }

    public bool IsAdmin => Role == ApiKeyRoles.Admin;
}
