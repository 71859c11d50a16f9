namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [server] table, after environment overrides.</summary>
public sealed record ServerConfig
{
    public const string DefaultHost = "0.0.0.0";
    public const int DefaultPort = 8000;
    public const double DefaultUpstreamTimeoutSeconds = 60.0;
    public const int DefaultSessionTtlSeconds = 24 * 60 * 60;

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

    /// <summary>Largest accepted request body in bytes.</summary>
    public long MaxRequestBodyBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Completion tokens reserved against token windows and budgets when a request sets no max_tokens.</summary>
    public int DefaultMaxTokensEstimate { get; init; } = 1024;
}
