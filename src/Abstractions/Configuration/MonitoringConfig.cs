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

    /// <summary>
    /// A call's answer ends only once its invocation record and its usage are in the store (waiting at most two
    /// seconds), so a node killed at any moment has logged and counted every call it answered. Off: records are
    /// written just after the answer, which saves the wait of one group commit a call and loses the calls of the
    /// last moment when a node is killed.
    /// </summary>
    public bool DurableLog { get; init; } = true;

    /// <summary>With <see cref="DurableLog"/>: the longest an answer waits for the store (a slow store must not hold clients).</summary>
    public double DurableLogTimeoutSeconds { get; init; } = 2;
}
