using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Configuration;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests;

/// <summary>Request and response pipelines: a model's rewrite_body, and the think_tags answer rewrite.</summary>
public sealed class PipelineTests
{
    [Fact]
    public async Task Rewrite_body_as_a_toml_table_overrides_fields_of_the_outgoing_body()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(UpstreamToml.Single("qwen", fake.BaseUrl, "qwen3-8b",
            modelExtra: "rewrite_body = { enable_thinking = false, max_tokens = 8192, extra_body = { top_k = 20 } }"), UpstreamToml.Environment);

        await router.OpenAiChat("up/m").CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { MaxOutputTokenCount = 100 });

        var body = fake.Single().Json;
        Assert.False(body["enable_thinking"]!.GetValue<bool>());
        Assert.Equal(8192, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(20, body["extra_body"]!["top_k"]!.GetValue<int>());
        Assert.Equal("qwen3-8b", body["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rewrite_body_as_a_json_string_can_remove_fields_with_null()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(UpstreamToml.Single("openai", fake.BaseUrl, "glm-4.5-flash",
            modelExtra: """rewrite_body = '{"metadata": null, "stream_options": {"include_usage": true}}'"""), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"up/m","metadata":{"user_id":"u1"},"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(200, (int)response.StatusCode);
        var body = fake.Single().Json;
        Assert.False(body.ContainsKey("metadata"));
        Assert.True(body["stream_options"]!["include_usage"]!.GetValue<bool>());
        // The invocation log keeps what the client asked for.
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Contains("\"metadata\"", (await router.Services.GetRequiredService<Abstractions.Invocations.IInvocationLog>().GetAsync(logged.Id))!.RequestBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewrite_body_applies_to_the_upstreams_own_format()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        await using var router = await RouterHarness.StartAsync(UpstreamToml.Single("claude", fake.BaseUrl, "claude-sonnet-4-5",
            modelExtra: """rewrite_body = '{"thinking": {"type": "enabled", "budget_tokens": 2048}, "max_tokens": 8000}'"""), UpstreamToml.Environment);

        await router.OpenAiChat("up/m").CompleteChatAsync([new UserChatMessage("hi")]);

        var body = fake.Single().Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"enabled","budget_tokens":2048}"""), body["thinking"]));
        Assert.Equal(8000, body["max_tokens"]!.GetValue<int>());
    }

    /// <summary>A DeepSeek-style completion with reasoning apart from the content.</summary>
    internal const string ReasoningCompletion = """
        {"id":"chatcmpl-r","object":"chat.completion","created":1700000000,"model":"deepseek-reasoner",
         "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","reasoning_content":"Two plus two is four.","content":"4"}}],
         "usage":{"prompt_tokens":10,"completion_tokens":8,"total_tokens":18}}
        """;

    internal static Task AnswerWithReasoning(HttpContext http, RecordedRequest request)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(ReasoningCompletion);
    }

    [Fact]
    public async Task Think_tags_puts_reasoning_into_the_content()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = AnswerWithReasoning;
        await using var router = await RouterHarness.StartAsync(UpstreamToml.Single("deepseek", fake.BaseUrl, "deepseek-reasoner",
            modelExtra: """pipeline = "think_tags" """), UpstreamToml.Environment);

        var completion = (await router.OpenAiChat("up/m").CompleteChatAsync([new UserChatMessage("2+2?")])).Value;

        Assert.Equal("<think>\nTwo plus two is four.\n</think>\n\n4", completion.Content[0].Text);
        Assert.Equal((10, 8), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount));
    }

    [Fact]
    public async Task Without_the_pipeline_reasoning_stays_apart()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = AnswerWithReasoning;
        await using var router = await RouterHarness.StartAsync(UpstreamToml.Single("deepseek", fake.BaseUrl, "deepseek-reasoner"), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"up/m","messages":[{"role":"user","content":"2+2?"}]}""", Encoding.UTF8, "application/json"));
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!;

        Assert.Equal("4", message["content"]!.GetValue<string>());
        Assert.Equal("Two plus two is four.", message["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Think_tags_works_on_streams()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("r", new JsonObject { ["role"] = "assistant", ["content"] = null, ["reasoning_content"] = "" }, null, false));
            foreach (var thought in (string[])["Two plus", " two."])
            {
                await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("r", new JsonObject { ["content"] = null, ["reasoning_content"] = thought }, null, false));
            }
            foreach (var answer in (string[])["It is", " 4"])
            {
                await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("r", new JsonObject { ["content"] = answer, ["reasoning_content"] = null }, null, false));
            }
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("r", [], "stop", false));
            await http.Response.WriteAsync("data: [DONE]\n\n");
        };
        await using var router = await RouterHarness.StartAsync(UpstreamToml.Single("deepseek", fake.BaseUrl, "deepseek-reasoner",
            modelExtra: """pipeline = "think_tags" """), UpstreamToml.Environment);

        var text = new StringBuilder();
        await foreach (var update in router.OpenAiChat("up/m").CompleteChatStreamingAsync([new UserChatMessage("2+2?")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        Assert.Equal("<think>\nTwo plus two.\n</think>\n\nIt is 4", text.ToString());
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal("<think>\nTwo plus two.\n</think>\n\nIt is 4", (await router.Services.GetRequiredService<Abstractions.Invocations.IInvocationLog>().GetAsync(logged.Id))!.ResponseBody);
    }

    [Fact]
    public async Task Think_tags_turns_claude_thinking_into_tagged_text_for_anthropic_clients_too()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Thinking = "Hmm.";
        fake.Reply = "Done.";
        await using var router = await RouterHarness.StartAsync(UpstreamToml.Single("claude", fake.BaseUrl, "claude-sonnet-4-5",
            modelExtra: """pipeline = "think_tags" """), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/messages", new StringContent(
            """{"model":"up/m","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var content = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["content"]!.AsArray();

        var text = Assert.Single(content)!;
        Assert.Equal("<think>\nHmm.\n</think>\n\nDone.", text["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""pipeline = "sparkles" """, "pipeline 'sparkles'")]
    [InlineData("""rewrite_body = '{"a": '""", "not valid JSON")]
    [InlineData("""rewrite_body = '[1, 2]'""", "JSON object")]
    [InlineData("""rewrite_body = 5""", "must be a table or a JSON object")]
    public void Bad_pipeline_settings_are_refused_with_their_position(string line, string message)
    {
        var toml = $"""
            [[providers]]
            name = "p"
            type = "openai"

            [[models]]
            name = "m"
            provider = "p"
            {line}
            """;

        var error = Assert.Throws<ConfigException>(() => RouterConfigLoader.Parse(Encoding.UTF8.GetBytes(toml), "router.toml", new RouterEnvironment([])));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("router.toml:8:", error.Message, StringComparison.Ordinal);
    }
}
