using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests;

/// <summary>OpenAI and Anthropic clients calling a Gemini model: generateContent / streamGenerateContent?alt=sse upstream.</summary>
public sealed class GeminiUpstreamTests
{
    private static string Toml(FakeGeminiUpstream fake, string modelExtra = "") =>
        UpstreamToml.Single("gemini", fake.BaseUrl, "gemini-2.5-flash", provider: "google", model: "flash", modelExtra: modelExtra);

    [Fact]
    public async Task Openai_call_becomes_generate_content_with_system_instruction_and_generation_config()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        var completion = (await router.OpenAiChat("google/flash").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Hi"), new AssistantChatMessage("Hello!"), new UserChatMessage("Weather in Paris?")],
            new ChatCompletionOptions { Temperature = 0.7f, TopP = 0.95f, MaxOutputTokenCount = 256, StopSequences = { "END" } })).Value;

        Assert.Equal("Hello from Gemini", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal((9, 3), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount));
        Assert.Equal("gemini-2.5-flash-001", completion.Model);

        var sent = fake.Single();
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", sent.Path);
        Assert.Equal("", sent.Query);
        Assert.Equal(UpstreamToml.Key, sent.Header("x-goog-api-key"));
        Assert.Null(sent.Header("Authorization"));
        var body = sent.Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"contents":[{"role":"user","parts":[{"text":"Hi"}]},
                         {"role":"model","parts":[{"text":"Hello!"}]},
                         {"role":"user","parts":[{"text":"Weather in Paris?"}]}],
             "systemInstruction":{"parts":[{"text":"Be brief."}]},
             "generationConfig":{"temperature":0.7,"topP":0.95,"maxOutputTokens":256,"stopSequences":["END"]}}
            """), Rounded(body)), body.ToJsonString());
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, 9L, 3L), (logged.Status, logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Openai_stream_reads_sse_chunks_and_takes_the_last_usage()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        fake.Reply = "Sunny and warm today";
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in router.OpenAiChat("google/flash").CompleteChatStreamingAsync([new UserChatMessage("Weather?")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("Sunny and warm today", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal((9, 4, 13), (usage!.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount));
        var sent = fake.Single();
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent", sent.Path);
        Assert.Equal("?alt=sse", sent.Query);
        Assert.Null(sent.Json["stream"]);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, 9L, 4L), (logged.Status, logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Tools_become_function_declarations_and_calls_come_back_as_tool_calls()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        fake.FunctionCall = ("get_weather", """{"city":"Paris"}""");
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather in a city", BinaryData.FromString("""
            {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}
            """));
        var chat = router.OpenAiChat("google/flash");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        var first = (await chat.CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { weather } })).Value;

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"functionDeclarations":[{"name":"get_weather","description":"Weather in a city",
               "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}]
            """), fake.Requests.First().Json["tools"]), fake.Requests.First().Body);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, """{"temperature":22}"""));
        fake.FunctionCall = null;
        var second = (await chat.CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { weather } })).Value;

        Assert.Equal("Hello from Gemini", second.Content[0].Text);
        var contents = fake.Requests.Last().Json["contents"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"role":"user","parts":[{"text":"Weather in Paris?"}]},
             {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
             {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temperature":22}}}]}]
            """), contents), contents.ToJsonString());
    }

    [Fact]
    public async Task Images_go_as_inline_data()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 9, 8, 7 };

        await router.OpenAiChat("google/flash").CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("Describe"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(jpeg), "image/jpeg"))]);

        var parts = fake.Single().Json["contents"]![0]!["parts"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""
            [{"text":"Describe"},{"inlineData":{"mimeType":"image/jpeg","data":"{{{Convert.ToBase64String(jpeg)}}}"}}]
            """), parts), parts.ToJsonString());
    }

    [Fact]
    public async Task Google_error_envelopes_map_to_client_statuses()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        await using var router = await RouterHarness.StartAsync(Toml(fake), new Dictionary<string, string>());

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"google/flash","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("permission_error", error["type"]!.GetValue<string>());
        Assert.Contains("API key", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(fake.Single().Header("x-goog-api-key"));
    }

    [Fact]
    public async Task Anthropic_client_gets_gemini_answers_in_anthropic_format()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        fake.Reply = "Bonjour tout le monde";
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);
        var client = UpstreamToml.AnthropicClient(router);
        var request = new MessageCreateParams
        {
            Model = "google/flash",
            MaxTokens = 64,
            System = "Answer in French.",
            Messages = [new MessageParam { Role = Role.User, Content = "Say hello" }],
        };

        var whole = await client.Messages.Create(request);
        var streamed = await client.Messages.CreateStreaming(request).Aggregate();

        foreach (var message in (Message[])[whole, streamed])
        {
            Assert.True(message.Content[0].TryPickText(out var text));
            Assert.Equal("Bonjour tout le monde", text.Text);
            Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
            Assert.Equal((9L, 4L), (message.Usage.InputTokens, message.Usage.OutputTokens));
        }
        Assert.Equal(["/v1beta/models/gemini-2.5-flash:generateContent", "/v1beta/models/gemini-2.5-flash:streamGenerateContent"], fake.Requests.Select(r => r.Path));
        Assert.All(fake.Requests, r => Assert.Equal("Answer in French.", r.Json["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>()));
        Assert.All(fake.Requests, r => Assert.Equal(64, r.Json["generationConfig"]!["maxOutputTokens"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_stream_that_ends_before_a_finish_reason_is_an_error()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        fake.Handler = async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            await FakeUpstreamServer.WriteSseAsync(http, null, """{"candidates":[{"content":{"role":"model","parts":[{"text":"Half"}]}}],"usageMetadata":{"promptTokenCount":5}}""");
        };
        await using var router = await RouterHarness.StartAsync(Toml(fake), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"google/flash","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("closed the stream before the answer was finished", events[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e == "data: [DONE]");
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Error, 5L, 1L), (logged.Status, logged.PromptTokens, logged.CompletionTokens));
    }

    /// <summary>Floats sent as float32 by the SDK (0.7f) come out as 0.699999988; compare at 3 decimals.</summary>
    private static JsonNode Rounded(JsonObject body)
    {
        var copy = body.DeepClone().AsObject();
        if (copy["generationConfig"] is JsonObject config)
        {
            foreach (var name in (string[])["temperature", "topP"])
            {
                if (config[name] is JsonValue value)
                {
                    config[name] = Math.Round(value.GetValue<double>(), 3);
                }
            }
        }
        return copy;
    }
}
