using Anthropic.Models.Messages;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>Routing on the Anthropic front door (POST /v1/messages) through the official Anthropic SDK.</summary>
public sealed class AnthropicRoutingTests
{
    private static MessageCreateParams Ask(string model, string text) => new()
    {
        Model = model,
        MaxTokens = 100,
        Messages = [new MessageParam { Role = Role.User, Content = text }],
    };

    private static string Text(Message message) => Assert.Single(message.Content).TryPickText(out var text) ? text.Text : "";

    [Fact]
    public async Task Groups_and_rules_apply_to_anthropic_clients()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b", "coder"], """
            [[model_groups]]
            name = "pool"
            members = [{ model = "fake/a" }, { model = "fake/b" }]

            [[routing_rules]]
            name = "code"
            conditions = { regex = "```" }
            action = { use_model = "fake/coder" }
            """);
        await using var _ = fake;
        await using var __ = router;
        var client = UpstreamToml.AnthropicClient(router);

        var first = await client.Messages.Create(Ask("pool", "hello"));
        var second = await client.Messages.Create(Ask("pool", "hello"));
        var code = await client.Messages.Create(Ask("fake/a", "```js\nx\n```"));

        Assert.Equal(["from a", "from b", "from coder"], [Text(first), Text(second), Text(code)]);
        var rows = (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();
        Assert.All(rows, r => Assert.Equal("anthropic", r.ClientFormat));
        Assert.Equal([("pool", null), ("pool", null), (null, "code")], rows.Select(r => (r.Group, r.Rule)));
    }

    [Fact]
    public async Task A_claude_passthrough_falls_back_to_a_translated_model()
    {
        await using var claude = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        claude.Handler = (http, _) => FakeAnthropicUpstream.WriteErrorAsync(http, 529, "overloaded_error", "Overloaded");
        var (fake, router) = await RoutingKit.StartAsync(["c"], $$"""
            [[providers]]
            name = "claude"
            type = "claude"
            api_key_env = "FAKE_UPSTREAM_KEY"
            base_url = "{{claude.BaseUrl.ToString().TrimEnd('/')}}"
            settings = { max_retries = 0 }

            [[models]]
            name = "sonnet"
            provider = "claude"
            fallbacks = ["fake/c"]
            """);
        await using var _ = fake;
        await using var __ = router;

        var message = await UpstreamToml.AnthropicClient(router).Messages.Create(Ask("claude/sonnet", "hello"));

        Assert.Equal("from c", Text(message));
        var sent = Assert.Single(claude.Requests);
        Assert.Equal("sonnet", sent.Json["model"]!.GetValue<string>());
        Assert.Equal(["c"], RoutingKit.Called(fake));
        var rows = (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();
        Assert.Equal([("claude", "sonnet", 502), ("fake", "c", 200)], rows.Select(r => (r.Provider, r.Model, r.HttpStatus)));
        Assert.EndsWith("(fell back to fake/c)", rows[0].Error, StringComparison.Ordinal);
    }
}
