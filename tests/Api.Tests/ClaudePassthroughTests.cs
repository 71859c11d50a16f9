using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests;

/// <summary>
/// Anthropic clients calling a Claude model: the request goes upstream as the client wrote it (model name aside)
/// and the answer comes back as Claude wrote it, so nothing a double translation would lose is lost.
/// </summary>
public sealed class ClaudePassthroughTests
{
    private static string Toml(FakeAnthropicUpstream fake) =>
        UpstreamToml.Single("claude", fake.BaseUrl, "claude-sonnet-4-5", provider: "claude", model: "sonnet");

    private static MessageCreateParams Request(string model = "claude/sonnet") => new()
    {
        Model = model,
        MaxTokens = 2048,
        System = new List<TextBlockParam> { new("You are terse.") { CacheControl = new CacheControlEphemeral() } },
        Thinking = new ThinkingConfigEnabled(1024),
        Metadata = new Metadata { UserID = "user-42" },
        Messages = [new MessageParam { Role = Role.User, Content = "Why is the sky blue?" }],
    };

    [Fact]
    public async Task Request_and_answer_pass_through_without_translation()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Thinking = "Rayleigh scattering.";
        fake.Reply = "Short wavelengths scatter more.";
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        var message = await UpstreamToml.AnthropicClient(router).Messages.Create(Request());

        Assert.Equal(2, message.Content.Count);
        Assert.True(message.Content[0].TryPickThinking(out var thinking));
        Assert.Equal(("Rayleigh scattering.", "sig-fake"), (thinking.Thinking, thinking.Signature));
        Assert.True(message.Content[1].TryPickText(out var text));
        Assert.Equal("Short wavelengths scatter more.", text.Text);
        Assert.Equal("msg_fake1", message.ID);
        Assert.Equal("claude-sonnet-4-5", message.Model.Raw());

        var sent = fake.Single();
        Assert.Equal(UpstreamToml.Key, sent.Header("x-api-key"));
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        var body = sent.Json;
        Assert.Equal("claude-sonnet-4-5", body["model"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"enabled","budget_tokens":1024}"""), body["thinking"]), body.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}]"""), body["system"]), body.ToJsonString());
        Assert.Equal("user-42", body["metadata"]!["user_id"]!.GetValue<string>());
        Assert.Equal(2048, body["max_tokens"]!.GetValue<int>());

        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal(("anthropic", InvocationStatus.Success, 12L, 4L), (logged.ClientFormat, logged.Status, logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Streamed_events_pass_through_as_claude_sent_them()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Thinking = "Let me think.";
        fake.Reply = "Blue light scatters.";
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""
                {"model":"claude/sonnet","max_tokens":2048,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},
                 "messages":[{"role":"user","content":"Why is the sky blue?"}]}
                """, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "client-key");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("anthropic-beta", "interleaved-thinking-2025-05-14");

        using var response = await router.Http.SendAsync(request);
        var received = AnthropicApiTests.ParseEvents(await response.Content.ReadAsStringAsync());

        // The fake's own transcript, for the same request.
        using var direct = new HttpClient { BaseAddress = fake.BaseUrl };
        using var upstreamRequest = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(fake.Requests.First().Body, Encoding.UTF8, "application/json") };
        upstreamRequest.Headers.Add("x-api-key", "k");
        upstreamRequest.Headers.Add("anthropic-version", "2023-06-01");
        using var upstreamResponse = await direct.SendAsync(upstreamRequest);
        var expected = AnthropicApiTests.ParseEvents(await upstreamResponse.Content.ReadAsStringAsync());

        Assert.Equal(expected.Select(e => (e.Name, e.Raw)), received.Select(e => (e.Name, e.Raw)));
        Assert.Contains(received, e => e.Data["delta"]?["type"]?.GetValue<string>() == "signature_delta");
        Assert.Equal("interleaved-thinking-2025-05-14", fake.Requests.First().Header("anthropic-beta"));
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, 12L, 3L, "Blue light scatters."), (logged.Status, logged.PromptTokens, logged.CompletionTokens, (await router.Services.GetRequiredService<IInvocationLog>().GetAsync(logged.Id))!.ResponseBody));
    }

    [Fact]
    public async Task Anthropic_sdk_streams_thinking_with_its_signature()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Thinking = "Scattering.";
        fake.Reply = "Because of scattering.";
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        var message = await UpstreamToml.AnthropicClient(router).Messages.CreateStreaming(Request()).Aggregate();

        Assert.True(message.Content[0].TryPickThinking(out var thinking));
        Assert.Equal(("Scattering.", "sig-fake"), (thinking.Thinking, thinking.Signature));
        Assert.True(message.Content[1].TryPickText(out var text));
        Assert.Equal("Because of scattering.", text.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Equal((12L, 3L), (message.Usage.InputTokens, message.Usage.OutputTokens));
        Assert.True(fake.Single().Json["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Claude_errors_reach_anthropic_clients_verbatim()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        const string upstreamError = """{"type":"error","error":{"type":"invalid_request_error","message":"thinking.budget_tokens: must be less than max_tokens"}}""";
        fake.Handler = (http, _) =>
        {
            http.Response.StatusCode = 400;
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync(upstreamError);
        };
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/messages", new StringContent(
            """{"model":"claude/sonnet","max_tokens":10,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}]}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(upstreamError, await response.Content.ReadAsStringAsync());
    }
}
