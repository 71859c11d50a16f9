using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests;

/// <summary>
/// What an API key says applies on every front door: its pipeline (chosen per key, not per model) and its policy on
/// /v1/messages, including requests that go to a Claude upstream in the client's own format.
/// </summary>
public sealed class KeyScopedPipelineAndAnthropicPolicyTests
{
    private const string ThinkingKey = "sk-thinking-client";
    private const string LimitedKey = "sk-limited-client";

    private static string Keys => """
        [[api_keys]]
        name = "cursor-user"
        key = "sk-thinking-client"
        pipeline = "think_tags"

        [[api_keys]]
        name = "limited"
        key = "sk-limited-client"
        allowed_providers = ["claude"]
        [api_keys.parameter_limits]
        max_tokens = 64
        """;

    [Fact]
    public async Task A_keys_pipeline_applies_to_its_calls_only()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, _) =>
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync("""
                {"id":"chatcmpl-r","object":"chat.completion","created":1700000000,"model":"deepseek-reasoner",
                 "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","reasoning_content":"Because.","content":"4"}}],
                 "usage":{"prompt_tokens":10,"completion_tokens":8,"total_tokens":18}}
                """);
        };
        await using var router = await RouterHarness.StartAsync(
            UpstreamToml.Single("deepseek", fake.BaseUrl, "deepseek-reasoner", extra: Keys), UpstreamToml.Environment);

        var withPipeline = (await Remote(router, ThinkingKey).CompleteChatAsync([new UserChatMessage("2+2?")])).Value;
        using var plain = await router.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"up/m","messages":[{"role":"user","content":"2+2?"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal("<think>\nBecause.\n</think>\n\n4", withPipeline.Content[0].Text);
        var message = JsonNode.Parse(await plain.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!;
        Assert.Equal("4", message["content"]!.GetValue<string>());
        Assert.Equal("Because.", message["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parameter_limits_clamp_a_request_passed_through_to_claude()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        await using var router = await RouterHarness.StartAsync(
            UpstreamToml.Single("claude", fake.BaseUrl, "claude-sonnet-4-5", provider: "claude", model: "sonnet", extra: Keys), UpstreamToml.Environment);

        await AnthropicAs(router, LimitedKey).Messages.Create(new MessageCreateParams
        {
            Model = "claude/sonnet",
            MaxTokens = 2048,
            Messages = [new MessageParam { Role = Role.User, Content = "hi" }],
        });

        var body = fake.Single().Json;
        Assert.Equal(64, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_model_outside_the_keys_providers_is_refused_in_anthropics_shape()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: Keys));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"fake/gpt-test","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", LimitedKey);
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await router.Http.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("permission_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Empty(fake.Requests);
    }

    private static ChatClient Remote(RouterHarness router, string key) => AccessKit.OpenAiChat(router, "up/m", key);

    private static AnthropicClient AnthropicAs(RouterHarness router, string key) =>
        new(new ClientOptions { BaseUrl = router.BaseUrl.ToString().TrimEnd('/'), ApiKey = key, MaxRetries = 0 });
}
