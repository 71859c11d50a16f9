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
        // Models are picked from the catalog: nothing else can be named.
        await Expect(console.TestId("key-models").Locator("input")).ToHaveCountAsync(2);
        await console.TestId("key-models").Locator("input[value='fake/gpt-test']").CheckAsync();
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
    public async Task A_key_is_edited_in_place_and_shows_its_spend_against_its_budget()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync();
        await using var _ = fake;
        await using var __ = router;
        await using var console = await chromium.OpenAsync(router);
        await console.GotoAsync("#/keys");
        await console.TestId("key-name").FillAsync("budgeted");
        await console.TestId("key-models").Locator("input[value='fake/gpt-test']").CheckAsync();
        await console.TestId("key-max-tokens").FillAsync("64");
        await console.TestId("key-create").ClickAsync();
        var secret = (await console.TestId("secret-value").TextContentAsync())!;
        var row = console.Page.Locator("tr[data-key='budgeted']");
        await Expect(row.GetByTestId("key-spend")).ToHaveCountAsync(0);

        // One call at $0.013 under the key.
        await AccessKit.OpenAiChat(router, "fake/gpt-test", secret).CompleteChatAsync([new UserChatMessage("spend a little")]);
        await router.InvocationsAsync();

        // Edited in place: the form starts from the key, and only what changed is sent.
        await row.GetByTestId("key-edit").ClickAsync();
        var form = console.TestId("edit-form");
        await Expect(form.GetByTestId("key-max-tokens")).ToHaveValueAsync("64");
        await Expect(form.Locator("input[value='fake/gpt-test']")).ToBeCheckedAsync();
        await form.GetByTestId("key-max-tokens").FillAsync("128");
        await form.Locator("input[value='other/small']").CheckAsync();
        await form.GetByTestId("key-budget").FillAsync("1");
        var patch = await console.Page.RunAndWaitForRequestAsync(
            () => form.GetByTestId("key-save").ClickAsync(), r => r.Method == "PATCH" && r.Url.Contains("/api-keys/", StringComparison.Ordinal));
        Assert.Equal("""{"allowed_models":["fake/gpt-test","other/small"],"parameter_limits":{"max_tokens":128},"budget":{"limit_usd":1,"period":"month"}}""", patch.PostData);
        await Expect(console.TestId("edit-panel")).ToHaveCountAsync(0);
        await Expect(row).ToContainTextAsync("max_tokens ≤ 128");
        await Expect(row).ToContainTextAsync("fake/gpt-test, other/small");
        // The call made before counts against the budget.
        await Expect(row.GetByTestId("key-spend")).ToHaveTextAsync("$0.01 of $1.00 this month (UTC), $0.99 left");

        await row.GetByTestId("key-edit").ClickAsync();
        await form.GetByTestId("key-budget").FillAsync("2");
        await form.GetByTestId("key-period").SelectOptionAsync("day");
        await form.GetByTestId("key-save").ClickAsync();
        await Expect(row.GetByTestId("key-spend")).ToHaveTextAsync("$0.01 of $2.00 today (UTC), $1.99 left");

        // The node holds the changes.
        var id = await row.GetAttributeAsync("data-id");
        var stored = System.Text.Json.Nodes.JsonNode.Parse(await router.Http.GetStringAsync($"/api-keys/{id}"))!;
        Assert.Equal(128, stored["parameter_limits"]!["max_tokens"]!.GetValue<int>());
        Assert.Equal(2, stored["allowed_models"]!.AsArray().Count);
        Assert.Equal(("day", 2m), (stored["budget"]!["period"]!.GetValue<string>(), stored["budget"]!["limit_usd"]!.GetValue<decimal>()));
        await console.ScreenshotAsync("keys-budget");
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
