using System.Diagnostics;
using System.Text.RegularExpressions;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LlmRouter.Console.Tests;

/// <summary>
/// The overview over a large log (issue 21): a node whose log holds 200,000 calls over the past month, written through
/// the store's own write path, shows their exact totals. How long the overview took to load is printed (a figure for
/// the report, not an assertion: bench/MonitoringBench measures the queries).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class LargeLogTests(ChromiumBrowser chromium, ITestOutputHelper output)
{
    private const int Calls = 200_000;
    private const int BatchSize = 512;

    [Fact]
    public async Task The_overview_of_a_large_log_shows_its_exact_totals()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync();
        await using (fake)
        await using (router)
        {
            var store = router.Services.GetRequiredService<IInvocationStore>();
            var start = DateTimeOffset.UtcNow.AddDays(-29);
            var step = TimeSpan.FromDays(29).Ticks / Calls;
            for (var first = 0; first < Calls; first += BatchSize)
            {
                await store.WriteBatchAsync(Enumerable.Range(first, Math.Min(BatchSize, Calls - first)).Select(i => new InvocationRecord
                {
                    CreatedAt = start.AddTicks(i * step),
                    ClientFormat = "openai",
                    Provider = i % 4 == 0 ? "other" : "fake",
                    Model = i % 4 == 0 ? "small" : "gpt-test",
                    ApiKeyId = $"key-{i % 20}",
                    ApiKeyName = $"team {i % 20}",
                    Status = InvocationStatus.Success,
                    HttpStatus = 200,
                    PromptTokens = 11,
                    CompletionTokens = 5,
                    Cost = i % 4 == 0 ? ConsoleTraffic.SmallCallCost : ConsoleTraffic.GptTestCallCost,
                    LatencyMs = 100 + i % 50,
                }).ToArray());
            }

            await using var console = await chromium.OpenAsync(router);
            var watch = Stopwatch.StartNew();
            await console.GotoAsync();
            await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("200,000", new() { Timeout = 60_000 });
            await Expect(console.TestId("recent").Locator("tbody tr")).ToHaveCountAsync(10, new() { Timeout = 60_000 });
            await Expect(console.TestId("chart").Locator("canvas")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
            output.WriteLine($"The overview of {Calls:N0} logged calls loaded in {watch.ElapsedMilliseconds} ms.");

            // 150,000 calls at $0.013 and 50,000 at $0.0021; 16 tokens each.
            await Expect(console.TestId("card-spend-value")).ToHaveTextAsync("$2,055.00");
            await Expect(console.TestId("card-tokens-value")).ToHaveTextAsync("3,200,000");
            await console.TestId("nav-invocations").ClickAsync();
            await Expect(console.TestId("showing")).ToHaveTextAsync(new Regex("^1–20 of 200,?000$"), new() { Timeout = 30_000 });
        }
    }
}
