using OpenAI.Chat;

namespace LlmRouter.Console.Tests;

/// <summary>The activity overview: cards with the node's totals, the usage chart, the latest calls, the 10-second refresh.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class OverviewTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    [Fact]
    public async Task Cards_show_the_totals_of_the_known_traffic()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync();

        // Money to the cent; under a cent, two significant digits.
        await Expect(console.TestId("card-spend-value")).ToHaveTextAsync("$0.17");
        await Expect(console.TestId("card-tokens-value")).ToHaveTextAsync("320");
        await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("22");
        // 2 of 22 calls failed.
        await Expect(console.TestId("card-quality-value")).ToHaveTextAsync("9.1%");
        // Daily average over the 30 days, today, and all time.
        await Expect(console.TestId("card-spend")).ToContainTextAsync("Daily average$0.0058");
        await Expect(console.TestId("card-spend")).ToContainTextAsync("Today (UTC)$0.17");
        await Expect(console.TestId("card-requests")).ToContainTextAsync("All time22");
        await Expect(console.TestId("card-requests")).ToContainTextAsync("Daily average0.7");
        await Expect(console.TestId("card-tokens")).ToContainTextAsync("Daily average11");
        await Expect(console.TestId("card-tokens")).ToContainTextAsync("Today (UTC)320");
        // The latest ten calls, newest first: the two failures.
        var recent = console.TestId("recent").Locator("tbody tr");
        await Expect(recent).ToHaveCountAsync(10);
        await Expect(recent.First).ToContainTextAsync("fake/gpt-test");
        await Expect(recent.First.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "error");
        await console.ScreenshotAsync("overview");
    }

    [Fact]
    public async Task The_chart_draws_one_line_per_model_or_provider_with_the_right_sums()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync("#/overview");

        var chart = console.TestId("chart");
        await Expect(chart.Locator("canvas")).ToHaveCountAsync(1);
        await Expect(chart.Locator(".u-legend")).ToContainTextAsync("fake/gpt-test");
        await Expect(chart.Locator(".u-legend")).ToContainTextAsync("other/small");
        Assert.True(await InkAsync(chart) > 500, "the canvas should have lines drawn on it");

        await console.Page.Locator("details.chart-data summary").ClickAsync();
        var sums = console.TestId("chart-table").Locator("tfoot td");
        await Expect(console.TestId("chart-table").Locator("thead th")).ToHaveTextAsync(["", "fake/gpt-test", "other/small"]);
        await Expect(sums).ToHaveTextAsync(["Σ", "192", "128"]);

        await console.TestId("chart-metric").SelectOptionAsync("cost");
        await Expect(sums).ToHaveTextAsync(["Σ", "$0.16", "$0.02"]);

        await console.TestId("chart-group_by").SelectOptionAsync("provider");
        await Expect(console.TestId("chart-table").Locator("thead th")).ToHaveTextAsync(["", "fake", "other"]);
        await Expect(sums).ToHaveTextAsync(["Σ", "$0.16", "$0.02"]);

        await console.TestId("chart-metric").SelectOptionAsync("requests");
        await console.TestId("chart-granularity").SelectOptionAsync("hour");
        // Requests include the two failures on fake.
        await Expect(sums).ToHaveTextAsync(["Σ", "14", "8"]);
        Assert.True(await InkAsync(chart) > 500);
        await console.ScreenshotAsync("overview-chart-hourly");

        foreach (var granularity in new[] { "week", "month", "day" })
        {
            await console.TestId("chart-granularity").SelectOptionAsync(granularity);
            await Expect(sums).ToHaveTextAsync(["Σ", "14", "8"]);
        }
        await console.TestId("chart-metric").SelectOptionAsync("total_tokens");
        await console.TestId("chart-group_by").SelectOptionAsync("model");
    }

    [Fact]
    public async Task The_overview_refreshes_itself_within_ten_seconds()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync();
        await using (fake)
        await using (router)
        {
            await using var console = await chromium.OpenAsync(router);
            await console.GotoAsync();
            await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("0");
            await Expect(console.TestId("chart-empty")).ToBeVisibleAsync();

            await router.OpenAiChat("fake/gpt-test").CompleteChatAsync([new UserChatMessage("hello")]);
            await router.InvocationsAsync();

            // No reload: the page's own timer (every 10 s) must pick the call up.
            await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("1", new() { Timeout = 15_000 });
            await Expect(console.TestId("card-spend-value")).ToHaveTextAsync("$0.01");
            await Expect(console.TestId("chart").Locator("canvas")).ToHaveCountAsync(1);
            Assert.Single(console.Requests, r => r.IsNavigationRequest);
        }
    }

    /// <summary>How many pixels of the chart's canvas are painted (not transparent).</summary>
    private static Task<int> InkAsync(ILocator chart) =>
        chart.Locator("canvas").EvaluateAsync<int>("""
            canvas => {
              const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
              let painted = 0;
              for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
              return painted;
            }
            """);
}
