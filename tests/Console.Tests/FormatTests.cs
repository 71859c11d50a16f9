using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmRouter.Console.Tests;

/// <summary>One format per kind of value on a screen: dates with the month named, money to the cent, one stated zone.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class FormatTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    // To the cent, or under a cent with at most two significant digits.
    [GeneratedRegex(@"^\$(\d{1,3}(,\d{3})*\.\d{2}|0\.0\d*[1-9]\d?)$")]
    private static partial Regex Money();

    [Theory]
    [InlineData("en-US", "MMM d, yyyy", "MMM d, yyyy, HH:mm:ss")]
    [InlineData("zh-CN", "yyyy年M月d日", "yyyy年M月d日 HH:mm:ss")]
    public async Task Dates_and_money_on_the_overview_agree(string locale, string day, string moment)
    {
        var latest = (await traffic.Router.InvocationsAsync()).Take(10).ToArray();
        await using var console = await chromium.OpenAsync(traffic.Router, locale: locale);
        await console.GotoAsync();
        await console.TestId("chart-metric").SelectOptionAsync("cost");
        await console.Page.Locator("details.chart-data summary").ClickAsync();
        await Expect(console.TestId("chart-table").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(console.TestId("recent").Locator("tbody tr")).ToHaveCountAsync(10);

        // Every time in the table is the call's UTC moment in the one format; the chart's day is the same day, written the same way.
        var times = await console.TestId("recent").Locator("tbody tr td:nth-child(2)").AllTextContentsAsync();
        Assert.Equal(latest.Select(r => r.CreatedAt.UtcDateTime.ToString(moment, CultureInfo.InvariantCulture)), times);
        var chartDay = await console.TestId("chart-table").Locator("tbody tr td").First.TextContentAsync();
        Assert.Equal(traffic.Began.UtcDateTime.ToString(day, CultureInfo.InvariantCulture), chartDay);
        Assert.All(times, time => Assert.StartsWith(chartDay!, time, StringComparison.Ordinal));

        // Every amount of money on the screen: cards, the chart's table and the calls.
        var money = new List<string> { (await console.TestId("card-spend-value").TextContentAsync())! };
        money.AddRange(await console.TestId("card-spend").Locator("dd").AllTextContentsAsync());
        money.AddRange(await console.TestId("chart-table").Locator("td.num").AllTextContentsAsync());
        money.AddRange(await console.TestId("recent").GetByTestId("cell-cost").AllTextContentsAsync());
        Assert.Equal(4 + 4 + 10, money.Count);
        Assert.All(money, text => Assert.Matches(Money(), text));
        Assert.Equal("$0.17", money[0]);
    }

    [Fact]
    public async Task Times_are_in_utc_until_the_user_picks_their_own_zone_and_the_choice_is_stated()
    {
        var latest = (await traffic.Router.InvocationsAsync())[0];
        await using var console = await chromium.OpenAsync(traffic.Router, timezoneId: "Asia/Shanghai");
        await console.GotoAsync("#/invocations");
        var first = console.TestId("invocations").Locator("tbody tr td:nth-child(2)").First;
        await Expect(console.TestId("zone-switch")).ToHaveTextAsync("UTC");
        await Expect(console.Page.GetByText("From (UTC)")).ToBeVisibleAsync();
        await Expect(first).ToHaveTextAsync(latest.CreatedAt.UtcDateTime.ToString("MMM d, yyyy, HH:mm:ss", CultureInfo.InvariantCulture));

        await console.TestId("zone-switch").ClickAsync();
        await Expect(console.TestId("zone-switch")).ToHaveTextAsync("Asia/Shanghai");
        await Expect(console.Page.GetByText("From (Asia/Shanghai)")).ToBeVisibleAsync();
        await Expect(first).ToHaveTextAsync(latest.CreatedAt.UtcDateTime.AddHours(8).ToString("MMM d, yyyy, HH:mm:ss", CultureInfo.InvariantCulture));

        // Remembered, like the language.
        await console.Page.ReloadAsync();
        await Expect(console.TestId("zone-switch")).ToHaveTextAsync("Asia/Shanghai");
    }
}
