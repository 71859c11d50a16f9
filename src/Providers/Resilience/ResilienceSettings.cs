using System.Globalization;

namespace LlmRouter.Providers.Resilience;

/// <summary>
/// A provider's timeout, retry and circuit-breaker settings, read from its <c>settings</c> table (values that are
/// missing or out of range fall back to the defaults below).
/// </summary>
public sealed record ResilienceSettings
{
    /// <summary>Time to the first byte, and longest silence between stream chunks (<c>timeout</c>, seconds; default <c>[server] default_timeout</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(ServerConfig.DefaultUpstreamTimeoutSeconds);

    /// <summary>Retries after the first call (<c>max_retries</c>); 0 turns retrying off.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Median first delay of the jittered exponential backoff (<c>retry_delay</c>, seconds).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest upstream Retry-After the router waits out itself (<c>max_retry_after</c>, seconds); longer ones go to the client.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the provider has a circuit breaker (<c>circuit_breaker</c>).</summary>
    public bool BreakerEnabled { get; init; } = true;

    /// <summary>Share of failed calls in the sampling window that opens the circuit (<c>breaker_failure_ratio</c>).</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>Calls the window must hold before the ratio counts (<c>breaker_minimum_calls</c>, at least 2).</summary>
    public int MinimumThroughput { get; init; } = 5;

    /// <summary>The sampling window (<c>breaker_sampling_seconds</c>).</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before letting one through (<c>breaker_break_seconds</c>).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    public static ResilienceSettings From(ProviderConfig provider, double defaultTimeoutSeconds)
    {
        var defaults = new ResilienceSettings();
        return new ResilienceSettings
        {
            Timeout = Seconds(provider, "timeout", 0.001) ?? TimeSpan.FromSeconds(defaultTimeoutSeconds),
            MaxRetries = (int)(Number(provider, "max_retries", 0, 10) ?? defaults.MaxRetries),
            RetryDelay = Seconds(provider, "retry_delay", 0) ?? defaults.RetryDelay,
            MaxRetryAfter = Seconds(provider, "max_retry_after", 0) ?? defaults.MaxRetryAfter,
            BreakerEnabled = !provider.Settings.TryGetValue("circuit_breaker", out var enabled) || enabled is not false,
            FailureRatio = Number(provider, "breaker_failure_ratio", 0.01, 1) ?? defaults.FailureRatio,
            MinimumThroughput = (int)(Number(provider, "breaker_minimum_calls", 2, int.MaxValue) ?? defaults.MinimumThroughput),
            SamplingDuration = Seconds(provider, "breaker_sampling_seconds", 0.5) ?? defaults.SamplingDuration,
            BreakDuration = Seconds(provider, "breaker_break_seconds", 0.5) ?? defaults.BreakDuration,
        };
    }

    private static TimeSpan? Seconds(ProviderConfig provider, string key, double min) =>
        Number(provider, key, min, TimeSpan.FromDays(1).TotalSeconds) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static double? Number(ProviderConfig provider, string key, double min, double max)
    {
        double? value = provider.Settings.TryGetValue(key, out var raw) ? raw switch
        {
            long l => l,
            int i => i,
            double d => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        } : null;
        return value is { } v && v >= min && v <= max ? v : null;
    }
}
