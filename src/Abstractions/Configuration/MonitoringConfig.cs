namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [monitoring] table: how much of each invocation the log keeps, and for how long.</summary>
public sealed record MonitoringConfig
{
    public const long DefaultMaxBodyBytes = 64 * 1024;
    public const int DefaultRetentionDays = 30;

    /// <summary>Request, response and raw bodies longer than this (UTF-8 bytes) are cut and marked as truncated.</summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>Invocations older than this many days are pruned; 0 keeps them forever.</summary>
    public int RetentionDays { get; init; } = DefaultRetentionDays;

    /// <summary>
    /// Serve GET /metrics without credentials (for a Prometheus on a private network); read at start.
    /// Off by default: then /metrics follows the same authentication as the rest of the API.
    /// </summary>
    public bool MetricsPublic { get; init; }
}
