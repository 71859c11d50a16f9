using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Responses;

namespace LlmRouter.Api.Tests.Responses;

#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental.

/// <summary>The OpenAI SDK's Responses client calling Anthropic, Gemini and Ollama models: translated to each one's chat API and back.</summary>
public sealed class ResponsesTranslationTests
{
    private static readonly BinaryData CitySchema = BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private static ResponsesClient Client(RouterHarness router) =>
        new(new ApiKeyCredential("client-key"), new ResponsesClientOptions { Endpoint = new Uri(router.BaseUrl, "/v1") });

    [Fact]
    public async Task Anthropic_model_gets_messages_with_tool_use_and_tool_result_through_previous_response_id()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Reply = "Let me look.";
        fake.ToolUse = ("toolu_01", "get_weather", """{"city":"Paris"}""");
        await using var router = await RouterHarness.StartAsync(
            UpstreamToml.Single("claude", fake.BaseUrl, "claude-sonnet-4-5", provider: "claude", model: "sonnet"), UpstreamToml.Environment);
        var client = Client(router);
        var weather = ResponseTool.CreateFunctionTool("get_weather", CitySchema, strictModeEnabled: null, functionDescription: "Weather in a city");

        var first = (await client.CreateResponseAsync(new CreateResponseOptions("claude/sonnet", [ResponseItem.CreateUserMessageItem("Weather in Paris?")])
        {
            Instructions = "Be brief.", MaxOutputTokenCount = 200, Tools = { weather }, ToolChoice = ResponseToolChoice.CreateFunctionChoice("get_weather"),
        })).Value;

        Assert.Equal(2, first.OutputItems.Count);
        Assert.Equal("Let me look.", first.GetOutputText());
        var call = Assert.IsType<FunctionCallResponseItem>(first.OutputItems[1]);
        Assert.Equal(("toolu_01", "get_weather", """{"city":"Paris"}"""), (call.CallId, call.FunctionName, call.FunctionArguments.ToString()));
        Assert.Equal((12, 3), (first.Usage.InputTokenCount, first.Usage.OutputTokenCount));
        var sent = fake.Requests.First();
        Assert.Equal("/v1/messages", sent.Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"claude-sonnet-4-5","max_tokens":200,"system":"Be brief.",
             "messages":[{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]}],
             "tools":[{"name":"get_weather","description":"Weather in a city",
                       "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
             "tool_choice":{"type":"tool","name":"get_weather"}}
            """), sent.Json), sent.Body);

        fake.ToolUse = null;
        fake.Reply = "22C and sunny.";
        var second = (await client.CreateResponseAsync(new CreateResponseOptions("claude/sonnet", [ResponseItem.CreateFunctionCallOutputItem("toolu_01", "22C and sunny")])
        {
            PreviousResponseId = first.Id, Tools = { weather },
        })).Value;

        Assert.Equal("22C and sunny.", second.GetOutputText());
        var messages = fake.Requests.Last().Json["messages"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ClaudeUpstreamTests.WeatherRoundTripMessages), messages), messages.ToJsonString());
    }

    [Fact]
    public async Task Gemini_model_streams_from_stream_generate_content_as_response_events()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        fake.Reply = "Sunny and warm today";
        await using var router = await RouterHarness.StartAsync(
            UpstreamToml.Single("gemini", fake.BaseUrl, "gemini-2.5-flash", provider: "google", model: "flash"), UpstreamToml.Environment);

        var text = new StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in await Client(router).CreateResponseStreamingAsync(
            new CreateResponseOptions("google/flash", [ResponseItem.CreateDeveloperMessageItem("Be brief."), ResponseItem.CreateUserMessageItem("Weather?")])
            {
                StreamingEnabled = true, MaxOutputTokenCount = 64,
            }))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
            completed = (update as StreamingResponseCompletedUpdate)?.Response ?? completed;
        }

        Assert.Equal("Sunny and warm today", text.ToString());
        Assert.Equal("Sunny and warm today", completed!.GetOutputText());
        Assert.Equal((9, 4), (completed.Usage.InputTokenCount, completed.Usage.OutputTokenCount));
        var sent = fake.Single();
        Assert.Equal(("/v1beta/models/gemini-2.5-flash:streamGenerateContent", "?alt=sse"), (sent.Path, sent.Query));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"contents":[{"role":"user","parts":[{"text":"Weather?"}]}],
             "systemInstruction":{"parts":[{"text":"Be brief."}]},
             "generationConfig":{"maxOutputTokens":64}}
            """), sent.Json), sent.Body);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal(("openai-responses", 9L, 4L), (logged.ClientFormat, logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Ollama_native_model_gets_api_chat_with_options_and_answers_a_function_call()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        fake.ToolCall = ("get_weather", """{"city":"Paris"}""");
        await using var router = await RouterHarness.StartAsync(
            UpstreamToml.Single("ollama", fake.BaseUrl, "llama3.2", provider: "local", model: "llama", settings: """{ api = "native" }"""), UpstreamToml.Environment);

        var response = (await Client(router).CreateResponseAsync(new CreateResponseOptions("local/llama", [ResponseItem.CreateUserMessageItem("Weather in Paris?")])
        {
            Instructions = "Use tools.", Temperature = 0.5f, TopP = 0.5f, MaxOutputTokenCount = 256,
            Tools = { ResponseTool.CreateFunctionTool("get_weather", CitySchema, strictModeEnabled: null) },
        })).Value;

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>());
        var sent = fake.Single();
        Assert.Equal("/api/chat", sent.Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"llama3.2","stream":false,
             "messages":[{"role":"system","content":"Use tools."},{"role":"user","content":"Weather in Paris?"}],
             "tools":[{"type":"function","function":{"name":"get_weather",
                       "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
             "options":{"temperature":0.5,"top_p":0.5,"num_predict":256}}
            """), sent.Json), sent.Body);
        Assert.Equal(InvocationStatus.Success, Assert.Single(await router.InvocationsAsync()).Status);
    }
}
