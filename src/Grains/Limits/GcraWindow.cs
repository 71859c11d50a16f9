using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Grains.Limits;

/// <summary>
/// GCRA (generic cell rate algorithm) over one window: the store keeps a single timestamp per window, the
/// theoretical arrival time (TAT); these are the parameters a <see cref="RateLimitConfig"/> gives and the figures
/// read back from a TAT.
/// </summary>
public static class GcraWindow
{
    public const long MicrosPerSecond = 1_000_000;
    private const long MicrosPerMinute = 60 * MicrosPerSecond;

    /// <summary>The request window: T = per_seconds / max_requests, capacity = burst_size (default max_requests), cost 1.</summary>
    public static WindowCharge? Requests(string window, RateLimitConfig? limit) =>
        limit?.MaxRequests is int max
            ? new WindowCharge(window, Interval(limit.PerSeconds * MicrosPerSecond, max), limit.BurstSize ?? max, 1, Settles: false)
            : null;

    /// <summary>The token window: T = 1 minute / tokens_per_minute, capacity = tokens_per_minute, cost = tokens reserved.</summary>
    public static WindowCharge? Tokens(string window, RateLimitConfig? limit, long tokens) =>
        limit?.TokensPerMinute is long perMinute
            ? new WindowCharge(window, Interval(MicrosPerMinute, perMinute), perMinute, Math.Max(0, tokens), Settles: true)
            : null;

    /// <summary>Units the window would still admit at once.</summary>
    public static long Remaining(WindowCharge window, long tatMicros, long nowMicros) =>
        Math.Clamp((window.IntervalMicros * window.Capacity - Math.Max(0, tatMicros - nowMicros)) / window.IntervalMicros, 0, window.Capacity);

    /// <summary>Time until the window is back to its full capacity.</summary>
    public static TimeSpan ResetAfter(long tatMicros, long nowMicros) => Micros(Math.Max(0, tatMicros - nowMicros));

    /// <summary>Time until a refused charge would fit: when <c>tat + T·cost − now' = T·capacity</c>.</summary>
    public static TimeSpan RetryAfter(WindowCharge window, long tatMicros, long nowMicros) =>
        Micros(Math.Max(0, tatMicros + window.IntervalMicros * (window.Cost - window.Capacity) - nowMicros));

    public static TimeSpan Micros(long micros) => TimeSpan.FromTicks(micros * (TimeSpan.TicksPerMillisecond / 1000));

    /// <summary>An instant as whole µs since the Unix epoch, the unit windows and budgets count time in.</summary>
    public static long ToMicros(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks / (TimeSpan.TicksPerMillisecond / 1000);

    // Rounded up, so T × capacity never spans less than the configured window: a limit is never looser than written.
    private static long Interval(double windowMicros, long units) => Math.Max(1, (long)Math.Ceiling(windowMicros / units));
}
