namespace LlmRouter.Console.Tests;

/// <summary>Models with tags, capabilities and prices, and the providers they come from.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ModelsTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    [Fact]
    public async Task Lists_models_with_tags_capabilities_and_prices_and_filters_by_tag()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync("#/models");

        var gpt = console.Page.Locator("tr[data-model='fake/gpt-test']");
        var small = console.Page.Locator("tr[data-model='other/small']");
        await Expect(console.TestId("model-count")).ToContainTextAsync("2 models");
        await Expect(gpt).ToContainTextAsync("GPT Test");
        await Expect(gpt.Locator(".tag")).ToHaveTextAsync(["chat", "fast"]);
        await Expect(gpt.Locator(".cap")).ToHaveTextAsync(["context 128k", "tools"]);
        await Expect(gpt).ToContainTextAsync("$0.50 / $1.50");
        await Expect(small.Locator(".cap")).ToHaveTextAsync(["context 32k", "vision", "zh", "en"]);
        await Expect(small).ToContainTextAsync("deepseek");
        await Expect(small).ToContainTextAsync("$0.10 / $0.20");

        // A local request is an admin under the localhost rule, so GET /providers answers.
        var providers = console.TestId("provider-table").Locator("tbody tr");
        await Expect(providers).ToHaveCountAsync(2);
        await Expect(providers.Nth(0)).ToContainTextAsync("fake");
        await Expect(providers.Nth(0)).ToContainTextAsync(traffic.Fake.BaseUrl.ToString().TrimEnd('/'));
        await Expect(providers.Nth(1)).ToContainTextAsync("deepseek");
        await Expect(providers.GetByTestId("circuit")).ToHaveTextAsync(["healthy", "healthy"]);
        await console.ScreenshotAsync("models");

        await console.Page.Locator(".tag-filter .tag", new() { HasText = "cheap" }).ClickAsync();
        await Expect(console.TestId("model-count")).ToContainTextAsync("1 models");
        await Expect(console.TestId("model-table").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(small).ToBeVisibleAsync();
        await console.TestId("clear-tag").ClickAsync();
        await Expect(console.TestId("model-table").Locator("tbody tr")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task A_provider_whose_circuit_is_open_is_marked_as_failing()
    {
        // Nothing listens on port 9 of this machine: every call to "broken" fails to connect, and two open its circuit.
        var (fake, router) = await ConsoleTraffic.StartNodeAsync("""
            [[providers]]
            name = "broken"
            type = "openai"
            api_key_env = "FAKE_UPSTREAM_KEY"
            base_url = "http://127.0.0.1:9"
            max_retries = 0
            breaker_minimum_calls = 2

            [[models]]
            name = "m"
            provider = "broken"
            """);
        await using var _ = fake;
        await using var __ = router;
        for (var i = 0; i < 3; i++)
        {
            using var failed = await router.Http.PostAsync("/v1/chat/completions",
                new StringContent("""{"model":"broken/m","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.False(failed.IsSuccessStatusCode);
        }

        await using var console = await chromium.OpenAsync(router);
        await console.GotoAsync("#/models");
        await Expect(console.Page.Locator("tr[data-provider='broken'] [data-testid=circuit]")).ToHaveTextAsync("circuit open: calls fail at once");
        await Expect(console.Page.Locator("tr[data-provider='broken'] [data-testid=circuit]")).ToHaveAttributeAsync("data-circuit", "open");
        await Expect(console.Page.Locator("tr[data-provider='fake'] [data-testid=circuit]")).ToHaveTextAsync("healthy");
        await console.ScreenshotAsync("models-circuit-open");
    }
}
