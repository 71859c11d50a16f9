namespace LlmRouter.Console.Tests;

/// <summary>What the console says when there is nothing to show, the address is wrong, or the session ended elsewhere.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class EmptyStateTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    [Fact]
    public async Task A_node_without_calls_shows_dashes_not_zero_latency_and_no_untranslated_details()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync("""
            [[models]]
            name = "unpriced"
            provider = "fake"
            """);
        await using var _ = fake;
        await using var __ = router;
        await using var console = await chromium.OpenAsync(router);
        await console.GotoAsync();
        await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("0");
        await Expect(console.TestId("chart-empty")).ToBeVisibleAsync();

        await Expect(console.TestId("card-quality-value")).ToHaveTextAsync("—");
        await Expect(console.TestId("card-quality")).ToContainTextAsync("Avg latency—");
        await Expect(console.Page.Locator("details")).ToBeHiddenAsync();
        await Expect(console.Page.Locator("main")).Not.ToContainTextAsync("Details");

        // A model without a price is not free.
        await console.GotoAsync("#/models");
        await Expect(console.Page.Locator("tr[data-model='fake/unpriced']")).ToContainTextAsync("no price");
        await Expect(console.Page.Locator("tr[data-model='fake/unpriced']")).Not.ToContainTextAsync("$0.00");
        await Expect(console.Page.Locator("tr[data-model='fake/gpt-test']")).ToContainTextAsync("$0.50 / $1.50");
    }

    [Fact]
    public async Task An_unknown_address_says_so_instead_of_showing_the_overview()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync("#/nowhere");
        await Expect(console.TestId("not-found")).ToContainTextAsync("There is no page at “#/nowhere”.");
        await Expect(console.TestId("cards")).ToHaveCountAsync(0);
        await console.TestId("not-found").Locator("a").ClickAsync();
        await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("22");
    }

    [Fact]
    public async Task A_page_past_the_end_says_how_many_calls_there_are_and_keeps_the_pager()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync("#/invocations?status=success&offset=100&limit=10");
        await Expect(console.TestId("past-end")).ToContainTextAsync("Nothing on this page: the history holds 20 calls.");
        await Expect(console.TestId("pager")).ToBeVisibleAsync();
        await Expect(console.TestId("prev")).ToBeVisibleAsync();
        await console.TestId("past-end").Locator("a").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("1–10 of 20");
        // The filter survives the way back.
        await Expect(console.TestId("filter-status")).ToHaveValueAsync("success");
    }

    [Fact]
    public async Task A_session_ended_elsewhere_gives_one_sign_in_prompt_not_a_wall_of_errors()
    {
        await using var console = await chromium.OpenAsync(traffic.Router, remote: true);
        await console.SignInAsync(ConsoleTraffic.UserKey);
        var token = await console.SessionTokenAsync();
        await AccessKit.PostAsync(traffic.Router, "/auth/logout", "{}", credential: token);

        await console.Page.ReloadAsync();
        await Expect(console.TestId("signin-banner")).ToBeVisibleAsync();
        await console.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(console.Page.Locator(".banner.error:visible")).ToHaveCountAsync(0);
        await Expect(console.TestId("signin-banner")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Chinese_labels_say_token_not_the_word_for_an_api_key()
    {
        var detail = (await traffic.Router.InvocationsAsync())[0];
        await using var console = await chromium.OpenAsync(traffic.Router, locale: "zh-CN");
        foreach (var (route, ready) in new[] { ("#/overview", "recent"), ("#/invocations", "invocations"), ($"#/invocations/{detail.Id}", "facts"), ("#/models", "model-table"), ("#/keys", "key-table") })
        {
            await console.GotoAsync(route);
            await Expect(console.TestId(ready)).ToBeVisibleAsync();
            await Expect(console.Page.Locator("body")).Not.ToContainTextAsync("令牌");
        }
        await Expect(console.Page.Locator("tr[data-key='admin']")).ToBeVisibleAsync();
        await console.GotoAsync("#/overview");
        await Expect(console.TestId("card-tokens")).ToContainTextAsync("Token 数");
    }
}
