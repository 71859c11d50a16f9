using OpenAI.Chat;

namespace LlmRouter.Console.Tests;

/// <summary>
/// A user key signed in from a remote browser sees only its own calls (issue 15 item 1): the overview's cards, chart
/// and latest calls, and the invocation history, while an admin key on the same node sees every key's.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ScopedViewTests(ChromiumBrowser chromium)
{
    private const int UserCalls = 2;
    private const int AdminCalls = 3;
    private const int LocalCalls = 1;

    [Fact]
    public async Task A_user_key_signed_in_sees_only_its_own_calls_and_an_admin_key_sees_all()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync();
        await using (fake)
        await using (router)
        {
            for (var i = 0; i < UserCalls; i++)
            {
                await AccessKit.OpenAiChat(router, "fake/gpt-test", ConsoleTraffic.UserKey).CompleteChatAsync([new UserChatMessage($"user {i}")]);
            }
            for (var i = 0; i < AdminCalls; i++)
            {
                await AccessKit.OpenAiChat(router, "other/small", ConsoleTraffic.AdminKey).CompleteChatAsync([new UserChatMessage($"admin {i}")]);
            }
            await router.OpenAiChat("other/small").CompleteChatAsync([new UserChatMessage("local")]);
            Assert.Equal(UserCalls + AdminCalls + LocalCalls, (await router.InvocationsAsync()).Count);

            await using (var user = await SignInAsync(router, ConsoleTraffic.UserKey))
            {
                await Expect(user.TestId("card-requests-value")).ToHaveTextAsync($"{UserCalls}");
                await Expect(user.TestId("card-spend-value")).ToHaveTextAsync("$0.03");
                await Expect(user.TestId("recent").Locator("tbody tr")).ToHaveCountAsync(UserCalls);
                await user.Page.Locator("details.chart-data summary").ClickAsync();
                await Expect(user.TestId("chart-table").Locator("thead th")).ToHaveTextAsync(["", "fake/gpt-test"]);
                await user.ScreenshotAsync("overview-user-key");

                await user.TestId("nav-invocations").ClickAsync();
                await Expect(user.TestId("showing")).ToHaveTextAsync($"1–{UserCalls} of {UserCalls}");
                await Expect(user.TestId("invocations").Locator("tbody tr").GetByTestId("cell-model"))
                    .ToHaveTextAsync(Enumerable.Repeat("fake/gpt-test", UserCalls).ToArray());
            }

            await using var admin = await SignInAsync(router, ConsoleTraffic.AdminKey);
            var all = UserCalls + AdminCalls + LocalCalls;
            await Expect(admin.TestId("card-requests-value")).ToHaveTextAsync($"{all}");
            await admin.TestId("nav-invocations").ClickAsync();
            await Expect(admin.TestId("showing")).ToHaveTextAsync($"1–{all} of {all}");
        }
    }

    private async Task<ConsolePage> SignInAsync(RouterHarness router, string key)
    {
        var console = await chromium.OpenAsync(router, remote: true);
        await console.SignInAsync(key);
        return console;
    }
}
