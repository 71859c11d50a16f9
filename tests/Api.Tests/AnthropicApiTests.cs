using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests;

/// <summary>POST /v1/messages through the official Anthropic SDK, against OpenAI-family upstreams (translated both ways).</summary>
public sealed class AnthropicApiTests
{
    private static readonly Dictionary<string, string> Environment = new() { ["FAKE_UPSTREAM_KEY"] = "sk-upstream-secret" };

    private static MessageCreateParams Hello(string model = "fake/gpt-test") => new()
    {
        Model = model,
        MaxTokens = 100,
        System = "Be brief.",
        StopSequences = ["END"],
        Messages = [new MessageParam { Role = Role.User, Content = "Say hello" }],
    };

    [Fact]
    public async Task Anthropic_client_gets_an_anthropic_message_from_an_openai_upstream()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        var message = await UpstreamToml.AnthropicClient(router).Messages.Create(Hello());

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("Hello from the fake upstream", text.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Equal((11L, 5L), (message.Usage.InputTokens, message.Usage.OutputTokens));
        Assert.StartsWith("msg_", message.ID, StringComparison.Ordinal);

        var sent = fake.Single();
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer sk-upstream-secret", sent.Header("Authorization"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"gpt-4o-mini-2024-07-18",
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}],
             "max_tokens":100,"stop":["END"]}
            """), sent.Json), sent.Body);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal(("anthropic", InvocationStatus.Success, 11L, 5L), (logged.ClientFormat, logged.Status, logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Streamed_answer_follows_anthropics_event_sequence()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Reply = "one two three";
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        using var response = await router.Http.PostAsync("/v1/messages", new StringContent(
            """{"model":"fake/gpt-test","max_tokens":100,"stream":true,"temperature":0.2,"messages":[{"role":"user","content":"count"}]}""", Encoding.UTF8, "application/json"));
        var events = ParseEvents(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            ["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        Assert.Equal("one two three", string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => e.Data["delta"]!["text"]!.GetValue<string>())));
        Assert.Equal("text", events[2].Data["content_block"]!["type"]!.GetValue<string>());
        var delta = events[^2].Data;
        Assert.Equal("end_turn", delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal((11, 3), (delta["usage"]!["input_tokens"]!.GetValue<int>(), delta["usage"]!["output_tokens"]!.GetValue<int>()));
        var sent = fake.Single().Json;
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.True(sent["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(0.2, sent["temperature"]!.GetValue<double>());
    }

    [Fact]
    public async Task Anthropic_sdk_streams_text_usage_and_stop_reason_from_an_openai_upstream()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Reply = "alpha beta gamma delta";
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        var message = await UpstreamToml.AnthropicClient(router).Messages.CreateStreaming(Hello()).Aggregate();

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("alpha beta gamma delta", text.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Equal(4L, message.Usage.OutputTokens);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal(("anthropic", true, 11L, 4L), (logged.ClientFormat, logged.Stream, logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Tool_use_and_tool_results_translate_to_openai_tool_calls_and_tool_messages()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, request) =>
        {
            var completion = JsonNode.Parse("""
                {"id":"chatcmpl-t","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                   "tool_calls":[{"id":"call_7","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}}],
                 "usage":{"prompt_tokens":20,"completion_tokens":7,"total_tokens":27}}
                """)!;
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync(completion.ToJsonString());
        };
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);
        var tool = new Tool
        {
            Name = "get_weather",
            Description = "Weather in a city",
            InputSchema = new InputSchema
            {
                Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) },
                Required = ["city"],
            },
        };

        var first = await UpstreamToml.AnthropicClient(router).Messages.Create(new MessageCreateParams
        {
            Model = "fake/gpt-test",
            MaxTokens = 200,
            Tools = [tool],
            ToolChoice = new ToolChoiceAny(),
            Messages = [new MessageParam { Role = Role.User, Content = "Weather in Paris?" }],
        });

        Assert.Equal(StopReason.ToolUse, first.StopReason!.Value());
        Assert.True(Assert.Single(first.Content).TryPickToolUse(out var use));
        Assert.Equal(("call_7", "get_weather", "Paris"), (use.ID, use.Name, use.Input["city"].GetString()));
        var firstSent = fake.Requests.First().Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"type":"function","function":{"name":"get_weather","description":"Weather in a city",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]
            """), firstSent["tools"]), firstSent["tools"]!.ToJsonString());
        Assert.Equal("required", firstSent["tool_choice"]!.GetValue<string>());

        await UpstreamToml.AnthropicClient(router).Messages.Create(new MessageCreateParams
        {
            Model = "fake/gpt-test",
            MaxTokens = 200,
            Tools = [tool],
            Messages =
            [
                new MessageParam { Role = Role.User, Content = "Weather in Paris?" },
                new MessageParam { Role = Role.Assistant, Content = new List<ContentBlockParam> { new ToolUseBlockParam { ID = "call_7", Name = "get_weather", Input = use.Input } } },
                new MessageParam { Role = Role.User, Content = new List<ContentBlockParam> { new ToolResultBlockParam("call_7") { Content = "22C and sunny" }, new TextBlockParam("Thanks") } },
            ],
        });

        var messages = fake.Requests.Last().Json["messages"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"role":"user","content":"Weather in Paris?"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_7","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"call_7","content":"22C and sunny"},
             {"role":"user","content":[{"type":"text","text":"Thanks"}]}]
            """), messages), messages.ToJsonString());
    }

    [Fact]
    public async Task Streamed_tool_call_from_an_openai_upstream_becomes_a_tool_use_block_with_json_deltas()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("m", JsonNode.Parse("""{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"lookup","arguments":""}}]}""")!.AsObject(), null, true));
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("m", JsonNode.Parse("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"q\":"}}]}""")!.AsObject(), null, true));
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("m", JsonNode.Parse("""{"tool_calls":[{"index":0,"function":{"arguments":"\"llm\"}"}}]}""")!.AsObject(), null, true));
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("m", [], "tool_calls", true));
            await FakeOpenAiUpstream.WriteEventAsync(http, """{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}}""");
            await http.Response.WriteAsync("data: [DONE]\n\n");
        };
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        var message = await UpstreamToml.AnthropicClient(router).Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "fake/gpt-test",
            MaxTokens = 50,
            Messages = [new MessageParam { Role = Role.User, Content = "look up llm" }],
        }).Aggregate();

        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
        Assert.True(Assert.Single(message.Content).TryPickToolUse(out var use));
        Assert.Equal(("call_9", "lookup", "llm"), (use.ID, use.Name, use.Input["q"].GetString()));
        Assert.Equal((5L, 6L), (message.Usage.InputTokens, message.Usage.OutputTokens));
    }

    [Theory]
    [InlineData("""{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_request_error", "model")]
    [InlineData("""{"model":"fake/gpt-test","messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_request_error", "max_tokens")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":10,"messages":[]}""", 400, "invalid_request_error", "messages")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":10,"messages":[{"role":"system","content":"hi"}]}""", 400, "invalid_request_error", "role")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":10,""", 400, "invalid_request_error", "JSON")]
    [InlineData("""{"model":"nobody/nothing","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", 404, "not_found_error", "nobody/nothing")]
    public async Task Bad_requests_get_anthropic_shaped_errors_and_never_reach_the_upstream(string body, int status, string type, string mentions)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        using var response = await router.Http.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal(type, error["error"]!["type"]!.GetValue<string>());
        Assert.Contains(mentions, error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task The_anthropic_sdk_sees_typed_exceptions_with_the_upstream_status()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, _) =>
        {
            http.Response.Headers.RetryAfter = "30";
            return FakeOpenAiUpstream.WriteErrorAsync(http, 429, "rate_limit_error", "Rate limit reached for requests");
        };
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);
        var client = UpstreamToml.AnthropicClient(router);

        var limited = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Messages.Create(Hello()));
        var missing = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Messages.Create(Hello("fake/none")));

        Assert.Contains("Rate limit reached for requests", limited.Message, StringComparison.Ordinal);
        Assert.Contains("fake/none", missing.Message, StringComparison.Ordinal);
        // A Retry-After beyond max_retry_after (5 s by default) is the client's to honour, not the router's.
        Assert.Single(fake.Requests);
        using var raw = await router.Http.PostAsync("/v1/messages", new StringContent(
            """{"model":"fake/gpt-test","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal("30", raw.Headers.RetryAfter!.ToString());
        Assert.Equal("rate_limit_error", JsonNode.Parse(await raw.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anthropic_only_features_are_refused_for_upstreams_that_cannot_take_them()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        using var response = await router.Http.PostAsync("/v1/messages", new StringContent("""
            {"model":"fake/gpt-test","max_tokens":10,"tools":[{"type":"web_search_20250305","name":"web_search"}],
             "messages":[{"role":"user","content":"news?"}]}
            """, Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("web_search_20250305", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Messages_endpoints_the_router_does_not_serve_answer_in_anthropic_shape()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        using var response = await router.Http.PostAsync("/v1/messages/count_tokens", new StringContent(
            """{"model":"fake/gpt-test","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(("error", "not_found_error"), (error["type"]!.GetValue<string>(), error["error"]!["type"]!.GetValue<string>()));
    }

    internal sealed record SseEvent(string Name, JsonNode Data, string Raw);

    internal static SseEvent[] ParseEvents(string body) =>
        body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var lines = block.Split('\n');
            var name = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            return new SseEvent(name, JsonNode.Parse(data)!, data);
        }).ToArray();
}
