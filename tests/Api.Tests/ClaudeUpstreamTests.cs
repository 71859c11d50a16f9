using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests;

/// <summary>OpenAI clients calling a Claude model: the router speaks Anthropic Messages upstream and answers in OpenAI's format.</summary>
public sealed class ClaudeUpstreamTests
{
    private static string Toml(FakeAnthropicUpstream fake, string? settings = null, string modelExtra = "") =>
        UpstreamToml.Single("claude", fake.BaseUrl, "claude-sonnet-4-5", provider: "claude", model: "sonnet", settings: settings, modelExtra: modelExtra);

    [Fact]
    public async Task Non_streamed_call_is_sent_as_anthropic_messages_and_answered_as_a_chat_completion()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        var completion = (await router.OpenAiChat("claude/sonnet").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello")],
            new ChatCompletionOptions { Temperature = 0.25f, MaxOutputTokenCount = 50, StopSequences = { "END" } })).Value;

        Assert.Equal("Hello from Claude", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal((12, 3, 15), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount));

        var sent = fake.Single();
        Assert.Equal(("POST", "/v1/messages"), (sent.Method, sent.Path));
        Assert.Equal(UpstreamToml.Key, sent.Header("x-api-key"));
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        Assert.Null(sent.Header("Authorization"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"claude-sonnet-4-5","max_tokens":50,"system":"Be brief.",
             "messages":[{"role":"user","content":[{"type":"text","text":"Say hello"}]}],
             "temperature":0.25,"stop_sequences":["END"]}
            """), sent.Json), sent.Body);

        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, "claude", "sonnet", 12L, 3L), (logged.Status, logged.Provider, logged.Model, logged.PromptTokens, logged.CompletionTokens));
        var stored = await router.Services.GetRequiredService<IInvocationLog>().GetAsync(logged.Id);
        Assert.Equal("msg_fake1", JsonNode.Parse(stored!.RawResponse!)!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, 4096)]
    [InlineData("{ default_max_tokens = 1000 }", 1000)]
    public async Task Max_tokens_is_always_sent_because_anthropic_requires_it(string? settings, int expected)
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        await using var router = await RouterHarness.StartAsync(Toml(fake, settings), UpstreamToml.Environment);

        await router.OpenAiChat("claude/sonnet").CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(expected, fake.Single().Json["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Streamed_call_arrives_as_openai_chunks_with_usage_and_finish_reason()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Reply = "one two three four";
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in router.OpenAiChat("claude/sonnet").CompleteChatStreamingAsync([new UserChatMessage("count")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("one two three four", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal((12, 4), (usage!.InputTokenCount, usage.OutputTokenCount));
        var sent = fake.Single();
        Assert.True(sent.Json["stream"]!.GetValue<bool>());
        Assert.Null(sent.Json["stream_options"]);
        Assert.Equal("text/event-stream", sent.Header("Accept"));
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, 12L, 4L, true), (logged.Status, logged.PromptTokens, logged.CompletionTokens, logged.Stream));
    }

    [Fact]
    public async Task Tool_calls_and_results_map_to_tool_use_and_tool_result_blocks()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Reply = "Let me look.";
        fake.ToolUse = ("toolu_01", "get_weather", """{"city":"Paris"}""");
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);
        var chat = router.OpenAiChat("claude/sonnet");
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather in a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        var first = (await chat.CompleteChatAsync(messages, options)).Value;

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal(("toolu_01", "get_weather"), (call.Id, call.FunctionName));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Paris"}"""), JsonNode.Parse(call.FunctionArguments.ToString())));
        var firstSent = fake.Requests.First().Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"name":"get_weather","description":"Weather in a city",
              "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]
            """), firstSent["tools"]));
        Assert.Equal("any", firstSent["tool_choice"]!["type"]!.GetValue<string>());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage("toolu_01", "22C and sunny"));
        fake.ToolUse = null;
        await chat.CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { weather } });

        var second = fake.Requests.Last().Json["messages"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(WeatherRoundTripMessages), second), second.ToJsonString());
    }

    /// <summary>The Anthropic messages of a weather question, Claude's tool_use (after its text) and the tool's result.</summary>
    internal const string WeatherRoundTripMessages = """
        [{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
         {"role":"assistant","content":[{"type":"text","text":"Let me look."},
                                        {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"22C and sunny"}]}]
        """;

    [Fact]
    public async Task Streamed_tool_call_arguments_arrive_as_fragments_of_one_call()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Reply = "Checking";
        fake.ToolUse = ("toolu_02", "get_weather", """{"city":"Lyon","unit":"C"}""");
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object"}"""));

        var arguments = new StringBuilder();
        string? id = null, name = null;
        ChatFinishReason? finish = null;
        await foreach (var update in router.OpenAiChat("claude/sonnet").CompleteChatStreamingAsync(
            [new UserChatMessage("Weather in Lyon?")], new ChatCompletionOptions { Tools = { weather } }))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                Assert.Equal(0, call.Index);
                id ??= call.ToolCallId;
                name ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(("toolu_02", "get_weather"), (id, name));
        Assert.Equal("""{"city":"Lyon","unit":"C"}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task Image_parts_become_base64_image_blocks()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 };

        await router.OpenAiChat("claude/sonnet").CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is this?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))]);

        var content = fake.Single().Json["messages"]![0]!["content"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""
            [{"type":"text","text":"What is this?"},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{Convert.ToBase64String(png)}}}"}}]
            """), content), content.ToJsonString());
    }

    [Fact]
    public async Task Anthropic_client_errors_reach_openai_clients_in_openai_shape_with_their_status()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Handler = (http, _) => FakeAnthropicUpstream.WriteErrorAsync(http, 400, "invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum");
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"claude/sonnet","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Null(error["type"]);
        Assert.Equal("prompt is too long: 250000 tokens > 200000 maximum", error["error"]!["message"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mid_stream_overload_ends_the_openai_stream_with_an_error_and_is_logged()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Handler = async (http, _) =>
        {
            // Anthropic reports an overload after HTTP 200 as an error event, then ends the stream.
            http.Response.ContentType = "text/event-stream";
            await FakeAnthropicUpstream.Event(http, JsonNode.Parse("""
                {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5",
                 "stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}
                """)!.AsObject());
            await FakeAnthropicUpstream.Event(http, JsonNode.Parse("""{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""")!.AsObject());
            foreach (var piece in (string[])["one", " two"])
            {
                await FakeAnthropicUpstream.Event(http, new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece } });
            }
            await FakeAnthropicUpstream.Event(http, JsonNode.Parse("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""")!.AsObject());
        };
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"claude/sonnet","stream":true,"messages":[{"role":"user","content":"count"}]}""", Encoding.UTF8, "application/json"));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonNode.Parse(e["data: ".Length..])!).ToArray();

        Assert.Equal("one two", string.Concat(events.Select(e => e["choices"]?[0]?["delta"]?["content"]?.GetValue<string>())));
        var error = events[^1]["error"]!;
        Assert.Contains("Overloaded", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("upstream_error", error["type"]!.GetValue<string>());
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Error, 12L, 2L), (logged.Status, logged.PromptTokens, logged.CompletionTokens));
        Assert.Equal(1, logged.Attempts);
        Assert.Single(fake.Requests);
    }
}
