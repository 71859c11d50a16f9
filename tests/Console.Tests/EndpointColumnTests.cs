using System.Text;

namespace LlmRouter.Console.Tests;

/// <summary>The invocation list names the endpoint each call came through.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class EndpointColumnTests(ChromiumBrowser chromium)
{
    [Fact]
    public async Task Each_call_shows_its_endpoint_in_the_invocation_list()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync("""
            [[models]]
            name = "embed"
            provider = "fake"
            upstream_model = "text-embedding-3-small"
            [models.config]
            supports_embeddings = true
            """);
        await using var _ = fake;
        await using var __ = router;
        fake.Handler = null;
        await router.OpenAiChat("fake/gpt-test").CompleteChatAsync([new OpenAI.Chat.UserChatMessage("hello")]);
        using var embedded = await router.Http.PostAsync("/v1/embeddings",
            new StringContent("""{"model":"fake/embed","input":["one","two"]}""", Encoding.UTF8, "application/json"));
        Assert.True(embedded.IsSuccessStatusCode, await embedded.Content.ReadAsStringAsync());

        await using var console = await chromium.OpenAsync(router);
        await console.GotoAsync("#/invocations");
        var rows = console.TestId("invocations").Locator("tbody tr");

        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.GetByTestId("cell-model")).ToHaveTextAsync(["fake/embed", "fake/gpt-test"]);
        await Expect(rows.GetByTestId("cell-endpoint")).ToHaveTextAsync(["/v1/embeddings", "/v1/chat/completions"]);
    }
}
