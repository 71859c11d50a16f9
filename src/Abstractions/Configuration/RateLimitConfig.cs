namespace LlmRouter.Abstractions.Configuration;

/// <summary>A request window (max_requests per per_seconds, burst_size) and an optional tokens-per-minute window.</summary>
public sealed record RateLimitConfig
{
    public int? MaxRequests { get; init; }
    public double PerSeconds { get; init; } = 60;

    /// <summary>Requests a fresh window admits at once; defaults to <see cref="MaxRequests"/>.</summary>
    public int? BurstSize { get; init; }

    public long? TokensPerMinute { get; init; }
}
