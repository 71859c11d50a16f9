using System.Net.Http.Headers;
using System.Text;

namespace LlmRouter.Console.Tests;

/// <summary>
/// What failed, findable in the console: a call the router refused appears in the history (with a filter for them) and
/// its detail names the limit; each attempt of a call that fell back links to the others and to the one that answered;
/// and a server error is shown in Chinese by its code.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RefusalAndFallbackTests(ChromiumBrowser chromium)
{
    private const string OneAMinuteKey = "sk-console-one-a-minute-7d21c4";

    [Theory]
    [InlineData("en-US")]
    [InlineData("zh-CN")]
    public async Task A_refused_call_is_in_the_history_and_its_detail_names_the_limit(string locale)
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync(AccessKit.OneAMinuteKeyToml("one-a-minute", OneAMinuteKey));
        await using var _ = fake;
        await using var __ = router;
        Assert.Equal(200, await CallAsync(router, "fake/gpt-test", OneAMinuteKey));
        Assert.Equal(429, await CallAsync(router, "fake/gpt-test", OneAMinuteKey));
        Assert.Equal(404, await CallAsync(router, "nope/none", OneAMinuteKey));
        var zh = locale == "zh-CN";

        await using var console = await chromium.OpenAsync(router, locale: locale);
        await console.GotoAsync("#/invocations");
        await console.TestId("filter-status").SelectOptionAsync("rejected");
        await console.TestId("apply").ClickAsync();
        var rows = console.TestId("invocations").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        // Refused before any model was resolved: the name the client asked for, not "/nope/none".
        await Expect(rows.First.GetByTestId("cell-model")).ToHaveTextAsync("nope/none");
        await Expect(rows.First.GetByTestId("cell-status")).ToContainTextAsync(zh ? "已拒绝 404" : "rejected 404");
        var limited = rows.Nth(1);
        await Expect(limited.GetByTestId("cell-model")).ToHaveTextAsync("fake/gpt-test");
        await Expect(limited.GetByTestId("cell-status")).ToContainTextAsync(zh ? "已拒绝 429" : "rejected 429");
        await Expect(limited.GetByTestId("cell-error")).ToContainTextAsync("rate_limit_exceeded");
        await Expect(limited.GetByTestId("cell-key")).ToHaveTextAsync("one-a-minute");

        await limited.GetByTestId("detail-link").ClickAsync();
        await Expect(console.TestId("fact-refused-by")).ToContainTextAsync(zh ? "拒绝依据" : "Refused by");
        await Expect(console.TestId("fact-refused-by")).ToContainTextAsync("key rpm 1");
        await Expect(console.TestId("fact-attempts")).ToContainTextAsync("0");
        await Expect(console.TestId("detail-error")).ToContainTextAsync("HTTP 429");

        // The overview counts it apart from the calls made.
        await console.GotoAsync("#/overview");
        await Expect(console.TestId("card-quality")).ToContainTextAsync(zh ? "路由器拒绝" : "Refused by the router");
        await Expect(console.TestId("card-quality").Locator("dd").Last).ToHaveTextAsync("2");
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("zh-CN")]
    public async Task A_failed_attempt_links_to_the_attempt_that_answered_and_back(string locale)
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync("""
            [[models]]
            name = "flaky"
            provider = "fake"
            fallbacks = ["fake/gpt-test"]
            """);
        await using var _ = fake;
        await using var __ = router;
        var answer = fake.Handler;
        fake.Handler = (http, request) => request.Json["model"]!.GetValue<string>() == "flaky"
            ? FakeOpenAiUpstream.WriteErrorAsync(http, 503, "server_error", "flaky is overloaded")
            : answer!(http, request);
        Assert.Equal(200, await CallAsync(router, "fake/flaky", key: null));
        var rows = (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();
        Assert.Equal(["flaky", "gpt-test"], rows.Select(r => r.Model));
        var (failed, served) = (rows[0].Id, rows[1].Id);

        await using var console = await chromium.OpenAsync(router, locale: locale);
        await console.GotoAsync($"#/invocations/{failed}?status=error");
        await Expect(console.TestId("call-attempts")).ToContainTextAsync(locale == "zh-CN" ? "本次调用的各次尝试" : "Attempts of this call");
        await Expect(console.TestId("call-attempt")).ToHaveCountAsync(2);
        await Expect(console.TestId("served-link")).ToHaveTextAsync($"#{served} fake/gpt-test");

        await console.TestId("served-link").ClickAsync();
        await Expect(console.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"#/invocations/{served}\\?status=error$"));
        await Expect(console.TestId("served-by")).ToHaveCountAsync(0);
        await Expect(console.TestId("attempt-link")).ToHaveTextAsync($"#{failed}");
        await console.TestId("attempt-link").ClickAsync();
        await Expect(console.TestId("detail-error")).ToContainTextAsync("flaky is overloaded (fell back to fake/gpt-test)");
        // Back still returns to the filtered history.
        await console.TestId("back").ClickAsync();
        await Expect(console.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/invocations\\?status=error$"));
    }

    [Fact]
    public async Task A_server_error_is_shown_in_Chinese_by_its_code_and_an_unknown_code_keeps_its_message()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync();
        await using var _ = fake;
        await using var __ = router;
        await using var console = await chromium.OpenAsync(router, locale: "zh-CN");

        // A detail that does not exist: the router answers 404 not_found.
        await console.GotoAsync("#/invocations/999999");
        await Expect(console.TestId("error")).ToHaveTextAsync("错误：未找到。");
        await Expect(console.TestId("error")).ToHaveAttributeAsync("title", "No invocation with id 999999.");

        // The sign-in form with a wrong key: invalid_api_key, in Chinese.
        await using var remote = await chromium.OpenAsync(router, remote: true, locale: "zh-CN");
        await remote.GotoAsync("#/session");
        await remote.TestId("signin-key").FillAsync("sk-not-a-key-at-all-0000");
        await remote.TestId("signin-submit").ClickAsync();
        await Expect(remote.TestId("signin-error")).ToContainTextAsync("API 密钥无效。");
        await Expect(remote.TestId("signin-error")).Not.ToContainTextAsync("invalid");
    }

    private static async Task<int> CallAsync(RouterHarness router, string model, string? key)
    {
        using var call = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        using var answer = await router.Http.SendAsync(call);
        return (int)answer.StatusCode;
    }
}
