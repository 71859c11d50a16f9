using System.ClientModel;
using OpenAI.Chat;

namespace LlmRouter.Console.Tests;

/// <summary>API keys made, switched off and removed in the console, and used by a real client.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class KeysTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    [Fact]
    public async Task A_key_created_in_the_console_works_for_a_chat_call_and_its_secret_is_shown_once()
    {
        // A node of its own: the calls made here would change the totals the other tests expect.
        var (fake, router) = await ConsoleTraffic.StartNodeAsync();
        await using var _ = fake;
        await using var __ = router;
        await using var console = await chromium.OpenAsync(router);
        await console.GotoAsync("#/keys");
        await Expect(console.TestId("key-table").Locator("tr[data-key='admin']")).ToContainTextAsync("router.toml");

        var name = "ui-key-" + Guid.NewGuid().ToString("N")[..6];
        await console.TestId("key-name").FillAsync(name);
        await console.TestId("key-models").FillAsync("fake/gpt-test");
        await console.TestId("key-max-tokens").FillAsync("64");
        await console.TestId("key-create").ClickAsync();

        await Expect(console.TestId("secret-box")).ToBeVisibleAsync();
        var secret = (await console.TestId("secret-value").TextContentAsync())!;
        Assert.StartsWith("sk", secret, StringComparison.Ordinal);
        var row = console.Page.Locator($"tr[data-key='{name}']");
        await Expect(row).ToContainTextAsync("fake/gpt-test");
        await Expect(row).ToContainTextAsync("max_tokens ≤ 64");
        await Expect(row.GetByTestId("key-active")).ToHaveTextAsync("✓");
        await console.ScreenshotAsync("keys-created");

        // The key works for a remote client (the official SDK), within its limits, and the call is logged under it.
        var fakeCalls = fake.Requests.Count;
        var reply = await AccessKit.OpenAiChat(router, "fake/gpt-test", secret).CompleteChatAsync([new UserChatMessage("from the ui key")]);
        Assert.Equal("Hello from the fake upstream", reply.Value.Content[0].Text);
        var sent = fake.Requests.Skip(fakeCalls).Single();
        Assert.Equal(64, sent.Json["max_tokens"]!.GetValue<int>());
        var logged = (await router.InvocationsAsync())[0];
        Assert.Equal(name, logged.ApiKeyName);

        // Shown once: not after a reload, nowhere in the page or in what the node sent since.
        await console.Page.ReloadAsync();
        await Expect(row).ToBeVisibleAsync();
        await Expect(console.TestId("secret-box")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await console.Page.ContentAsync(), StringComparison.Ordinal);
        var listing = await console.Page.EvaluateAsync<string>("() => fetch('/api-keys').then(r => r.text())");
        Assert.Contains(name, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await console.Page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"), StringComparison.Ordinal);

        // Disabled in the console: the same client is refused.
        await row.GetByTestId("key-toggle").ClickAsync();
        await Expect(row.GetByTestId("key-active")).ToHaveTextAsync("✗");
        var refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            AccessKit.OpenAiChat(router, "fake/gpt-test", secret).CompleteChatAsync([new UserChatMessage("again")]));
        Assert.Equal(401, refused.Status);

        await row.GetByTestId("key-toggle").ClickAsync();
        await Expect(row.GetByTestId("key-active")).ToHaveTextAsync("✓");
        await AccessKit.OpenAiChat(router, "fake/gpt-test", secret).CompleteChatAsync([new UserChatMessage("enabled again")]);

        // Deleted (after a second click to confirm): gone from the list and refused.
        await row.GetByTestId("key-delete").ClickAsync();
        await Expect(row).ToBeVisibleAsync();
        await row.GetByTestId("key-delete").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            AccessKit.OpenAiChat(router, "fake/gpt-test", secret).CompleteChatAsync([new UserChatMessage("deleted")]));
        Assert.Equal(401, refused.Status);
    }

    [Fact]
    public async Task Keys_from_router_toml_cannot_be_changed_in_the_console()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync("#/keys");
        var admin = console.Page.Locator("tr[data-key='admin']");
        await Expect(admin).ToContainTextAsync("admin");
        await Expect(admin.GetByTestId("key-toggle")).ToHaveCountAsync(0);
        await Expect(admin.GetByTestId("key-delete")).ToHaveCountAsync(0);
        await console.ScreenshotAsync("keys");
    }
}
