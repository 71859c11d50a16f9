using System.Diagnostics;

namespace LlmRouter.Api.Diagnostics;

/// <summary>
/// Lets a repeated failure be reported once per interval, counting the reports it held back, so a dependency that is
/// down (every call failing the same way) writes a line every few seconds instead of one per call.
/// </summary>
public sealed class LogThrottle(TimeSpan interval)
{
    private readonly long _intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
    private long _nextAt;
    private long _suppressed;

    /// <summary>True when this occurrence should be reported; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool ShouldLog(out long suppressed)
    {
        var now = Stopwatch.GetTimestamp();
        var next = Interlocked.Read(ref _nextAt);
        if (now >= next && Interlocked.CompareExchange(ref _nextAt, now + _intervalTicks, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }
        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
