using System.Net.Http.Headers;
using System.Text;

namespace LlmRouter.Console.Tests;

/// <summary>A key with a budget sees, signed in, what it spent and holds this period and what is left (GET /auth/me).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class BudgetViewTests(ChromiumBrowser chromium)
{
    private const string BudgetKey = "sk-console-budget-51f0a7";

    [Fact]
    public async Task A_budgeted_key_sees_its_spend_and_what_is_left_today_in_both_languages()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync($"""
            [[api_keys]]
            name = "budgeted"
            key = "{BudgetKey}"
            [api_keys.budget]
            limit_usd = 1
            period = "day"
            """);
        await using var _ = fake;
        await using var __ = router;
        using (var call = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"fake/gpt-test","max_tokens":20,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"),
        })
        {
            call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BudgetKey);
            using var answer = await router.Http.SendAsync(call);
            Assert.True(answer.IsSuccessStatusCode);
        }

        await using var console = await chromium.OpenAsync(router, remote: true);
        await console.SignInAsync(BudgetKey);
        await console.TestId("nav-session").ClickAsync();

        // One small call against a one-dollar day: cents spent, nothing held (the call settled), 99 cents left.
        await Expect(console.TestId("who-budget")).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex(@"^Budget today: \$0\.\d+ spent and \$0\.00 held of \$1\.00; \$0\.99 left until .+"));
        await console.TestId("lang-switch").ClickAsync();
        await Expect(console.TestId("who-budget")).ToContainTextAsync("今日预算");
        await Expect(console.TestId("who-budget")).ToContainTextAsync("剩余 $0.99");
    }
}
