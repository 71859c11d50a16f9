using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests;

/// <summary>
/// Ollama providers: by default through Ollama's OpenAI-compatible /v1 endpoint, and through the native /api/chat
/// (NDJSON streaming) with <c>settings = { api = "native" }</c>.
/// </summary>
public sealed class OllamaUpstreamTests
{
    private static string Native(FakeOllamaUpstream fake) =>
        UpstreamToml.Single("ollama", fake.BaseUrl, "llama3.2", provider: "local", model: "llama", settings: """{ api = "native" }""");

    [Fact]
    public async Task Plain_ollama_type_keeps_using_the_openai_compatible_endpoint()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        await using var router = await RouterHarness.StartAsync(
            UpstreamToml.Single("ollama", fake.BaseUrl, "llama3.2", provider: "local", model: "llama"), UpstreamToml.Environment);

        var completion = (await router.OpenAiChat("local/llama").CompleteChatAsync([new UserChatMessage("hi")])).Value;

        Assert.Equal("Hello from Ollama", completion.Content[0].Text);
        Assert.Equal("/v1/chat/completions", fake.Single().Path);
    }

    [Fact]
    public async Task Native_call_puts_sampling_in_options_and_asks_for_no_stream()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        await using var router = await RouterHarness.StartAsync(Native(fake), UpstreamToml.Environment);

        var completion = (await router.OpenAiChat("local/llama").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello")],
            new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 256, TopP = 0.5f, StopSequences = { "\n\n" } })).Value;

        Assert.Equal("Hello from Ollama", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal((26, 3), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount));

        var sent = fake.Single();
        Assert.Equal("/api/chat", sent.Path);
        Assert.Equal("Bearer " + UpstreamToml.Key, sent.Header("Authorization"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"llama3.2","stream":false,
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}],
             "options":{"temperature":0.5,"top_p":0.5,"num_predict":256,"stop":["\n\n"]}}
            """), sent.Json), sent.Body);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, 26L, 3L), (logged.Status, logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Native_stream_reads_ndjson_with_thinking_and_usage()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        fake.Reply = "Why hello there";
        fake.Thinking = "The user greets me.";
        await using var router = await RouterHarness.StartAsync(Native(fake), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"local/llama","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""",
            Encoding.UTF8, "application/json"));
        var chunks = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("data: [DONE]", chunks[^1]);
        var json = chunks[..^1].Select(c => JsonNode.Parse(c["data: ".Length..])!).ToArray();
        Assert.Equal("assistant", json[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("The user greets me.", string.Concat(json.Select(j => j["choices"]?.AsArray().FirstOrDefault()?["delta"]?["reasoning_content"]?.GetValue<string>())));
        Assert.Equal("Why hello there", string.Concat(json.Select(j => j["choices"]?.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>())));
        Assert.Equal("stop", json[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal((26, 3), (json[^1]["usage"]!["prompt_tokens"]!.GetValue<int>(), json[^1]["usage"]!["completion_tokens"]!.GetValue<int>()));
        Assert.True(fake.Single().Json["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Native_tool_calls_carry_object_arguments_both_ways()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        fake.ToolCall = ("get_weather", """{"city":"Paris"}""");
        await using var router = await RouterHarness.StartAsync(Native(fake), UpstreamToml.Environment);
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));
        var chat = router.OpenAiChat("local/llama");
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        var first = (await chat.CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { weather } })).Value;

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal(("call_0", "get_weather", "Paris"), (call.Id, call.FunctionName, JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]
            """), fake.Requests.First().Json["tools"]), fake.Requests.First().Body);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "22C"));
        fake.ToolCall = null;
        await chat.CompleteChatAsync(messages);

        var sent = fake.Requests.Last().Json["messages"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"role":"user","content":"Weather in Paris?"},
             {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
             {"role":"tool","content":"22C","tool_name":"get_weather"}]
            """), sent), sent.ToJsonString());
    }

    [Fact]
    public async Task Native_images_go_as_base64_beside_the_text()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        await using var router = await RouterHarness.StartAsync(Native(fake), UpstreamToml.Environment);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 5, 6 };

        await router.OpenAiChat("local/llama").CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in this picture?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))]);

        var message = fake.Single().Json["messages"]![0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"role":"user","content":"What is in this picture?","images":["{{Convert.ToBase64String(png)}}"]}
            """), message), message.ToJsonString());
    }

    [Fact]
    public async Task Image_urls_cannot_go_to_the_native_api_and_are_refused_before_the_call()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        await using var router = await RouterHarness.StartAsync(Native(fake), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent("""
            {"model":"local/llama","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}
            """, Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("base64", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Mid_stream_error_lines_end_the_stream_with_an_error()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        fake.Handler = async (http, _) =>
        {
            http.Response.ContentType = "application/x-ndjson";
            await FakeOllamaUpstream.LineAsync(http, JsonNode.Parse("""{"model":"llama3.2","created_at":"2025-10-26T17:15:24.09Z","message":{"role":"assistant","content":"Hel"},"done":false}""")!.AsObject());
            await FakeOllamaUpstream.LineAsync(http, JsonNode.Parse("""{"error":"an error was encountered while running the model: unexpected EOF"}""")!.AsObject());
        };
        await using var router = await RouterHarness.StartAsync(Native(fake), UpstreamToml.Environment);

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"local/llama","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("unexpected EOF", JsonNode.Parse(events[^1]["data: ".Length..])!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Error, 1L), (logged.Status, logged.CompletionTokens));
    }

    [Fact]
    public async Task Anthropic_client_gets_native_ollama_answers_in_anthropic_format()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        fake.Reply = "Hi from a local model";
        await using var router = await RouterHarness.StartAsync(Native(fake), UpstreamToml.Environment);
        var client = UpstreamToml.AnthropicClient(router);
        var request = new MessageCreateParams
        {
            Model = "local/llama",
            MaxTokens = 128,
            Messages = [new MessageParam { Role = Role.User, Content = "Say hi" }],
        };

        var whole = await client.Messages.Create(request);
        var streamed = await client.Messages.CreateStreaming(request).Aggregate();

        foreach (var message in (Message[])[whole, streamed])
        {
            Assert.True(message.Content[0].TryPickText(out var text));
            Assert.Equal("Hi from a local model", text.Text);
            Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
            Assert.Equal((26L, 5L), (message.Usage.InputTokens, message.Usage.OutputTokens));
        }
        Assert.Equal([false, true], fake.Requests.Select(r => r.Json["stream"]!.GetValue<bool>()));
        Assert.All(fake.Requests, r => Assert.Equal(128, r.Json["options"]!["num_predict"]!.GetValue<int>()));
    }
}
