using System.Diagnostics;
using LlmRouter.Abstractions.Invocations;

namespace MonitoringBench;

/// <summary>
/// Times what every monitoring and cost endpoint asks the store (the same calls, ranges and limits the handlers make),
/// as the median of several runs after a warm-up, and log-scan baselines: the 30-day totals summed from every row, and
/// the COUNT(*) the invocation list's total took before it came from the roll-ups.
/// </summary>
internal static class QueryTimings
{
    public const int Runs = 5;

    public static async Task<IReadOnlyList<(string Query, double Ms)>> RunAsync(BenchStore bench, long calls)
    {
        var statistics = bench.Statistics;
        var now = LogFill.End;
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var days30 = new UsageRange(day.AddDays(-29), now);
        var user = days30 with { ApiKeyId = LogFill.UserKey };
        var filtered = new InvocationQuery { Limit = 50, ApiKey = LogFill.UserKey, Status = InvocationStatus.Error };
        var halfYear = day.AddDays(-182);
        var farBack = new InvocationQuery { Limit = 50, Start = halfYear, End = halfYear.AddDays(30) };
        async Task Statistics(UsageRange range)
        {
            await statistics.GetTotalsAsync(range);
            foreach (var dimension in Enum.GetValues<UsageDimension>())
            {
                await statistics.GetBreakdownAsync(range, dimension, UsageOrder.Requests, 10);
            }
        }
        var queries = new (string Name, Func<Task> Run)[]
        {
            ("/monitor/statistics (24 h)", () => Statistics(new UsageRange(now.AddHours(-24), null))),
            ("/monitor/statistics (720 h)", () => Statistics(new UsageRange(now.AddHours(-720), null))),
            ("/monitor/statistics (720 h, user key)", () => Statistics(new UsageRange(now.AddHours(-720), null) { ApiKeyId = LogFill.UserKey })),
            ("/monitor/time-series hour (24 h) by model", async () => await statistics.GetTimeSeriesAsync(new UsageRange(now.AddHours(-24), now), TimeBucketSize.Hour, UsageDimension.Model)),
            ("/monitor/time-series day (30 d) by model", async () => await statistics.GetTimeSeriesAsync(new UsageRange(now.AddDays(-30), now), TimeBucketSize.Day, UsageDimension.Model)),
            ("/monitor/time-series week (12 w) by key", async () => await statistics.GetTimeSeriesAsync(new UsageRange(now.AddDays(-84), now), TimeBucketSize.Week, UsageDimension.ApiKey)),
            ("/monitor/time-series month (365 d)", async () => await statistics.GetTimeSeriesAsync(new UsageRange(now.AddDays(-365), now), TimeBucketSize.Month, null)),
            ("/cost/current", async () =>
            {
                await statistics.GetTotalsAsync(new UsageRange(day, null));
                await statistics.GetTotalsAsync(new UsageRange(month, null));
                await statistics.GetTotalsAsync(UsageRange.All);
            }),
            ("/cost/daily (30 d)", async () => await statistics.GetTimeSeriesAsync(days30, TimeBucketSize.Day, null)),
            ("/cost/summary (30 d)", async () =>
            {
                await statistics.GetTotalsAsync(days30);
                await statistics.GetBreakdownAsync(days30, UsageDimension.Provider, UsageOrder.Cost, 1000);
            }),
            ("/cost/by-model (30 d)", async () => await statistics.GetBreakdownAsync(days30, UsageDimension.Model, UsageOrder.Cost, 100)),
            ("/cost/by-user (30 d)", async () => await statistics.GetBreakdownAsync(days30, UsageDimension.ApiKey, UsageOrder.Cost, 100)),
            ("/cost/by-user (365 d, user key)", async () => await statistics.GetBreakdownAsync(
                new UsageRange(now.AddDays(-365), now) { ApiKeyId = LogFill.UserKey }, UsageDimension.ApiKey, UsageOrder.Cost, 100)),
            ("/cost/summary (30 d, user key)", async () => await statistics.GetTotalsAsync(user)),
            ("/monitor/invocations (first page)", async () => await bench.Store.ListAsync(new InvocationQuery { Limit = 50 })),
            ("/monitor/invocations (api_key, status)", async () => await bench.Store.ListAsync(filtered)),
            ("/monitor/invocations (model)", async () => await bench.Store.ListAsync(new InvocationQuery { Limit = 50, Model = LogFill.SomeModel })),
            ("/monitor/invocations (one day, 6 months ago)", async () => await bench.Store.ListAsync(new InvocationQuery { Limit = 50, Start = halfYear, End = halfYear.AddDays(1) })),
            ("/monitor/invocations (30 days, 6 months ago)", async () => await bench.Store.ListAsync(farBack)),
            ("/monitor/invocations (30 days, 6 months ago, model)", async () => await bench.Store.ListAsync(farBack with { Model = LogFill.SomeModel })),
            ("/monitor/invocations (30 days, 6 months ago, status)", async () => await bench.Store.ListAsync(farBack with { Status = InvocationStatus.Error })),
            ("/monitor/invocations (30 days, 6 months ago, api_key, status)", async () => await bench.Store.ListAsync(
                farBack with { ApiKey = LogFill.UserKey, Status = InvocationStatus.Error })),
            ("/monitor/invocations (30 days, 6 months ago, before_id mid-window)", async () => await bench.Store.ListAsync(
                farBack with { BeforeId = calls * (365 - 182 + 15) / 365 })),
            ("/monitor/invocations (before_id, deep)", async () => await bench.Store.ListAsync(new InvocationQuery { Limit = 50, BeforeId = 1_000 })),
            ("/monitor/invocations (before_id, middle)", async () => await bench.Store.ListAsync(new InvocationQuery { Limit = 50, BeforeId = calls / 2 })),
            ("/monitor/invocations (api_key, status, before_id middle)", async () => await bench.Store.ListAsync(filtered with { BeforeId = calls / 2 })),
            ("baseline: list total by COUNT(*), whole log", async () => await bench.Scalar("SELECT COUNT(*) FROM invocations")),
            ("baseline: list total by COUNT(*), api_key and status", async () => await bench.Scalar(
                $"SELECT COUNT(*) FROM invocations WHERE (api_key_id = '{LogFill.UserKey}' OR api_key_name = '{LogFill.UserKey}') AND status = 'error'")),
            ("baseline: 30-day totals summed from the log", async () => await bench.Scalar(
                $"SELECT COUNT(*) + SUM(cost_nano_usd) FROM invocations WHERE created_at_ms >= {now.AddHours(-720).ToUnixTimeMilliseconds()}")),
        };
        var results = new List<(string, double)>();
        foreach (var (name, run) in queries)
        {
            await run();
            var times = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                var watch = Stopwatch.StartNew();
                await run();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            results.Add((name, times[Runs / 2]));
            Console.Error.WriteLine($"   {bench.Name}: {name}: {times[Runs / 2]:N1} ms");
        }
        return results;
    }
}
