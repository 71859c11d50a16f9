using LlmRouter.Api.Diagnostics;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>A failure repeated by every call is reported once per interval, with the count of reports held back.</summary>
public sealed class LogThrottleTests
{
    [Fact]
    public async Task Reports_once_per_interval_and_counts_what_it_held_back()
    {
        var throttle = new LogThrottle(TimeSpan.FromMilliseconds(300));

        Assert.True(throttle.ShouldLog(out var first));
        Assert.Equal(0, first);
        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => throttle.ShouldLog(out _))));
        Assert.DoesNotContain(true, results);

        await Task.Delay(400);
        Assert.True(throttle.ShouldLog(out var held));
        Assert.Equal(1000, held);
        Assert.False(throttle.ShouldLog(out _));
    }
}
