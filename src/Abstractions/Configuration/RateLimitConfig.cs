namespace LlmRouter.Abstractions.Configuration;

/// <summary>A request window (max_requests per per_seconds, burst_size) and an optional tokens-per-minute window.</summary>
[GenerateSerializer, Immutable, Alias("rate-limit")]
public sealed record RateLimitConfig
{
    [Id(0)] public int? MaxRequests { get; init; }
    [Id(1)] public double PerSeconds { get; init; } = 60;

    /// <summary>Requests a fresh window admits at once; defaults to <see cref="MaxRequests"/>.</summary>
    [Id(2)] public int? BurstSize { get; init; }

    [Id(3)] public long? TokensPerMinute { get; init; }
}
