namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [server] table, after environment overrides.</summary>
public sealed record ServerConfig
{
    public const string DefaultHost = "0.0.0.0";
    public const int DefaultPort = 8000;
    public const double DefaultUpstreamTimeoutSeconds = 60.0;
    public const int DefaultSessionTtlSeconds = 24 * 60 * 60;
    public const long DefaultMaxRequestBodyBytes = 16L * 1024 * 1024;
    public const long DefaultMaxUpstreamResponseBytes = 64L * 1024 * 1024;
    public const double DefaultStreamDeadlineSeconds = 30 * 60;

    public string Host { get; init; } = DefaultHost;
    public int Port { get; init; } = DefaultPort;

    /// <summary>SQLAlchemy-style URL (<c>sqlite:///path.db</c>, <c>postgresql://…</c>); null means the embedded default.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>Upstream timeout in seconds (time to first byte, and idle time between stream chunks).</summary>
    public double DefaultTimeoutSeconds { get; init; } = DefaultUpstreamTimeoutSeconds;

    public string LogLevel { get; init; } = "INFO";
    public bool RequireAuth { get; init; } = true;
    public bool LocalhostBypass { get; init; } = true;

    /// <summary>How long a login session (POST /auth/login) lasts, in seconds.</summary>
    public int SessionTtlSeconds { get; init; } = DefaultSessionTtlSeconds;

    /// <summary>Largest accepted request body in bytes (chat and invoke calls; management endpoints take far less).</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// Host names (besides localhost, loopback addresses and <see cref="Host"/>) that local callers may name in their
    /// Host header; any other name is refused, so a DNS-rebinding page cannot reach the router as a local caller.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Proxies (addresses or CIDR ranges) whose X-Forwarded-For entry names the client; nobody else's is read.</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>
    /// Environment variables a provider defined over REST may name in <c>api_key_env</c> (exact names, or prefixes
    /// ending in <c>*</c>); <c>LLM_ROUTER_*</c> never. router.toml's providers may name any.
    /// </summary>
    public IReadOnlyList<string> RestApiKeyEnvs { get; init; } = [];

    /// <summary>URL prefixes a provider defined over REST may use as <c>base_url</c>; empty allows any.</summary>
    public IReadOnlyList<string> RestBaseUrls { get; init; } = [];

    /// <summary>Largest upstream answer read: a whole body, or one event of a stream.</summary>
    public long MaxUpstreamResponseBytes { get; init; } = DefaultMaxUpstreamResponseBytes;

    /// <summary>The longest a streamed upstream answer may last in all, in seconds (the idle timeout is separate).</summary>
    public double StreamDeadlineSeconds { get; init; } = DefaultStreamDeadlineSeconds;

    /// <summary>Completion tokens reserved against token windows and budgets when a request sets no max_tokens.</summary>
    public int DefaultMaxTokensEstimate { get; init; } = 1024;
}
