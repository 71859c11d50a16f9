namespace LlmRouter.Console.Tests;

/// <summary>What every page shares: the language switch and the router toggle.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LayoutTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    [Fact]
    public async Task The_language_switch_turns_labels_chinese_and_is_remembered()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync();
        await Expect(console.TestId("nav-overview")).ToHaveTextAsync("Overview");

        await console.TestId("lang-switch").ClickAsync();
        await Expect(console.TestId("nav-overview")).ToHaveTextAsync("活动概览");
        await Expect(console.TestId("nav-invocations")).ToHaveTextAsync("调用历史");
        await Expect(console.TestId("card-spend")).ToContainTextAsync("花费");
        await Expect(console.TestId("card-spend-value")).ToHaveTextAsync("$0.17");
        await Expect(console.Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await console.ScreenshotAsync("overview-zh");

        await console.GotoAsync("#/invocations");
        await Expect(console.TestId("showing")).ToHaveTextAsync("第 1–20 条，共 22 条");
        await console.Page.ReloadAsync();
        await Expect(console.TestId("page")).ToHaveTextAsync("第 1 / 2 页");

        await console.TestId("lang-switch").ClickAsync();
        await Expect(console.TestId("page")).ToHaveTextAsync("Page 1 of 2");
    }

    [Fact]
    public async Task A_chinese_browser_starts_in_chinese()
    {
        await using var console = await chromium.OpenAsync(traffic.Router, locale: "zh-CN");
        await console.GotoAsync();
        await Expect(console.TestId("nav-keys")).ToHaveTextAsync("API 密钥");
    }

    [Fact]
    public async Task The_router_toggle_is_shown_only_when_the_node_has_one()
    {
        using var status = await traffic.Router.Http.GetAsync("/router/status");
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync();
        await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("22");
        await console.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Contains(console.Requests, r => new Uri(r.Url).AbsolutePath == "/router/status");
        if (status.IsSuccessStatusCode)
        {
            await Expect(console.TestId("router-toggle")).ToBeVisibleAsync();
        }
        else
        {
            await Expect(console.TestId("router-toggle")).ToBeHiddenAsync();
        }
    }
}
