using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using OpenAI;
using OpenAI.Responses;

namespace LlmRouter.Api.Tests.Responses;

#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental.

/// <summary>
/// The official OpenAI SDK's Responses client against POST /v1/responses, a chat-completions-only upstream (type
/// <c>vllm</c>) behind it, so the request is translated; an OpenAI upstream gets it as is (<see cref="ResponsesPassthroughTests"/>).
/// </summary>
public sealed class ResponsesApiTests
{
    private const string Model = "fake/gpt-test";

    /// <summary>The harness's router.toml with its provider as a vLLM server: OpenAI chat completions, no Responses API.</summary>
    internal static string ChatOnlyToml(Uri upstream) =>
        RouterHarness.Toml(upstream).Replace("type = \"openai\"", "type = \"vllm\"", StringComparison.Ordinal);

    internal static ResponsesClient Client(RouterHarness router, string apiKey = "client-key") =>
        new(new ApiKeyCredential(apiKey), new ResponsesClientOptions { Endpoint = new Uri(router.BaseUrl, "/v1") });

    [Fact]
    public async Task Plain_request_is_translated_to_chat_and_answered_as_a_response_with_usage()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(ChatOnlyToml(fake.BaseUrl), new Dictionary<string, string> { ["FAKE_UPSTREAM_KEY"] = "sk-up" });

        var response = (await Client(router).CreateResponseAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Say hello")])
        {
            Instructions = "Be brief.", MaxOutputTokenCount = 50, Temperature = 0.25f,
        })).Value;

        Assert.Equal("Hello from the fake upstream", response.GetOutputText());
        Assert.StartsWith("resp_", response.Id);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal((11, 5, 16), (response.Usage.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        var sent = fake.Single();
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"gpt-4o-mini-2024-07-18",
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}],
             "max_tokens":50,"temperature":0.25}
            """), sent.Json), sent.Body);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, "openai-responses", 11L, 5L), (logged.Status, logged.ClientFormat, logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Streamed_request_relays_text_deltas_in_the_responses_event_sequence()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Reply = "one two three";
        await using var router = await RouterHarness.StartAsync(ChatOnlyToml(fake.BaseUrl));

        var deltas = new List<string>();
        var kinds = new List<string>();
        string? done = null;
        ResponseResult? completed = null;
        await foreach (var update in await Client(router).CreateResponseStreamingAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("count")]) { StreamingEnabled = true }))
        {
            kinds.Add(update.GetType().Name);
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    deltas.Add(delta.Delta);
                    break;
                case StreamingResponseOutputTextDoneUpdate text:
                    done = text.Text;
                    break;
                case StreamingResponseCompletedUpdate end:
                    completed = end.Response;
                    break;
            }
        }

        Assert.Equal(["one", " two", " three"], deltas);
        Assert.Equal("one two three", done);
        Assert.Equal("one two three", completed!.GetOutputText());
        Assert.Equal((11, 3), (completed.Usage.InputTokenCount, completed.Usage.OutputTokenCount));
        Assert.Equal(
            ["StreamingResponseCreatedUpdate", "StreamingResponseInProgressUpdate", "StreamingResponseOutputItemAddedUpdate", "StreamingResponseContentPartAddedUpdate",
             "StreamingResponseOutputTextDeltaUpdate", "StreamingResponseOutputTextDeltaUpdate", "StreamingResponseOutputTextDeltaUpdate",
             "StreamingResponseOutputTextDoneUpdate", "StreamingResponseContentPartDoneUpdate", "StreamingResponseOutputItemDoneUpdate", "StreamingResponseCompletedUpdate"],
            kinds);
        var sent = fake.Single().Json;
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.True(sent["stream_options"]!["include_usage"]!.GetValue<bool>());
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, true, 3L), (logged.Status, logged.Stream, logged.CompletionTokens));
    }

    [Fact]
    public async Task A_streamed_answer_whose_upstream_reports_no_usage_completes_with_the_usage_it_is_billed_for()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, _) => FakeOpenAiUpstream.StreamAsync(http, "m", ["one", " two", " three"], includeUsage: false);
        await using var router = await RouterHarness.StartAsync(ChatOnlyToml(fake.BaseUrl));

        ResponseResult? completed = null;
        await foreach (var update in await Client(router).CreateResponseStreamingAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("count")]) { StreamingEnabled = true }))
        {
            if (update is StreamingResponseCompletedUpdate end)
            {
                completed = end.Response;
            }
        }

        // Before: response.completed said 0 and 0 while the log billed an estimate.
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.True(logged.UsageEstimated);
        Assert.True(logged.CompletionTokens > 0);
        Assert.Equal((logged.PromptTokens, logged.CompletionTokens), ((long)completed!.Usage.InputTokenCount, (long)completed.Usage.OutputTokenCount));
    }

    /// <summary>Translated from a chat stream, or relayed from an OpenAI upstream's own Responses events (<paramref name="relayed"/>).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Events_carry_increasing_sequence_numbers_and_arrive_as_the_upstream_sends_them(bool relayed)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var release = new TaskCompletionSource();
        Func<int, Task> hold = i => i == 0 ? release.Task.WaitAsync(TimeSpan.FromSeconds(20)) : Task.CompletedTask;
        fake.Handler = (http, request) => relayed
            ? FakeOpenAiResponses.StreamAsync(http, request.Json, ["first", " second"], hold)
            : FakeOpenAiUpstream.StreamAsync(http, "m", ["first", " second"], includeUsage: true, between: hold);
        await using var router = await RouterHarness.StartAsync(relayed ? RouterHarness.Toml(fake.BaseUrl) : ChatOnlyToml(fake.BaseUrl));

        // The first delta reaches the client while the upstream still holds back the rest: nothing is buffered whole.
        var (mediaType, events) = await ResponsesEventStream.PostAsync(router, """{"model":"fake/gpt-test","input":"go","stream":true}""", ResponsesEventStream.ReleaseOnFirstDelta(release));

        Assert.Equal("text/event-stream", mediaType);
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e["sequence_number"]!.GetValue<long>()));
        Assert.Equal("response.completed", events[^1]["type"]!.GetValue<string>());
        Assert.Equal("first second", events[^1]["response"]!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(relayed ? "/v1/responses" : "/v1/chat/completions", fake.Single().Path);
    }

    [Fact]
    public async Task Function_call_round_trip_with_function_call_output_and_previous_response_id()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = ScriptedToolUpstream.Handler("It is 22C and sunny in Paris.");
        await using var router = await RouterHarness.StartAsync(ChatOnlyToml(fake.BaseUrl));
        var client = Client(router);
        var weather = ResponseTool.CreateFunctionTool("get_weather",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""),
            strictModeEnabled: false, functionDescription: "Weather in a city");

        var first = (await client.CreateResponseAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Weather in Paris?")])
        {
            Tools = { weather }, ToolChoice = ResponseToolChoice.CreateRequiredChoice(),
        })).Value;

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal((ScriptedToolUpstream.CallId, "get_weather"), (call.CallId, call.FunctionName));
        Assert.Equal(ScriptedToolUpstream.Arguments, call.FunctionArguments.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"Weather in Paris?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather in a city",
                       "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":false}}],
             "tool_choice":"required"}
            """), fake.Requests.First().Json), fake.Requests.First().Body);

        var second = (await client.CreateResponseAsync(new CreateResponseOptions(Model, [ResponseItem.CreateFunctionCallOutputItem(call.CallId, "22C and sunny")])
        {
            PreviousResponseId = first.Id, Tools = { weather },
        })).Value;

        Assert.Equal("It is 22C and sunny in Paris.", second.GetOutputText());
        Assert.Equal(first.Id, second.PreviousResponseId);
        var arguments = JsonValue.Create(ScriptedToolUpstream.Arguments).ToJsonString();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""
            [{"role":"user","content":"Weather in Paris?"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"{{{ScriptedToolUpstream.CallId}}}","type":"function",
               "function":{"name":"get_weather","arguments":{{{arguments}}}}}]},
             {"role":"tool","tool_call_id":"{{{ScriptedToolUpstream.CallId}}}","content":"22C and sunny"}]
            """), fake.Requests.Last().Json["messages"]), fake.Requests.Last().Body);
    }

    [Fact]
    public async Task Streamed_function_call_arrives_as_argument_deltas_then_done()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = ScriptedToolUpstream.Handler("unused");
        await using var router = await RouterHarness.StartAsync(ChatOnlyToml(fake.BaseUrl));
        var weather = ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{}}"""), strictModeEnabled: false);

        var deltas = new StringBuilder();
        string? done = null;
        FunctionCallResponseItem? added = null;
        ResponseResult? completed = null;
        await foreach (var update in await Client(router).CreateResponseStreamingAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Weather?")])
        {
            Tools = { weather }, StreamingEnabled = true,
        }))
        {
            switch (update)
            {
                case StreamingResponseOutputItemAddedUpdate { Item: FunctionCallResponseItem item }:
                    added = item;
                    break;
                case StreamingResponseFunctionCallArgumentsDeltaUpdate delta:
                    deltas.Append(delta.Delta.ToString());
                    break;
                case StreamingResponseFunctionCallArgumentsDoneUpdate end:
                    done = end.FunctionArguments.ToString();
                    break;
                case StreamingResponseCompletedUpdate end:
                    completed = end.Response;
                    break;
            }
        }

        Assert.Equal((ScriptedToolUpstream.CallId, "get_weather"), (added!.CallId, added.FunctionName));
        Assert.Equal(ScriptedToolUpstream.Arguments, deltas.ToString());
        Assert.Equal(ScriptedToolUpstream.Arguments, done);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(completed!.OutputItems));
        Assert.Equal(ScriptedToolUpstream.Arguments, call.FunctionArguments.ToString());
        Assert.Equal((20, 7), (completed.Usage.InputTokenCount, completed.Usage.OutputTokenCount));
    }

    [Fact]
    public async Task Previous_response_id_continues_the_conversation_and_get_returns_the_kept_response()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(ChatOnlyToml(fake.BaseUrl));
        var client = Client(router);

        var first = (await client.CreateResponseAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("My name is Ada.")]))).Value;
        fake.Reply = "Your name is Ada.";
        var second = (await client.CreateResponseAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("What is my name?")])
        {
            PreviousResponseId = first.Id, Instructions = "Answer in one sentence.",
        })).Value;

        Assert.Equal("Your name is Ada.", second.GetOutputText());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"role":"system","content":"Answer in one sentence."},
             {"role":"user","content":"My name is Ada."},
             {"role":"assistant","content":"Hello from the fake upstream"},
             {"role":"user","content":"What is my name?"}]
            """), fake.Requests.Last().Json["messages"]), fake.Requests.Last().Body);

        var fetched = (await client.GetResponseAsync(new GetResponseOptions(second.Id))).Value;
        Assert.Equal((second.Id, first.Id, "Your name is Ada."), (fetched.Id, fetched.PreviousResponseId, fetched.GetOutputText()));
        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(new GetResponseOptions("resp_unknown")));
        Assert.Equal(404, unknown.Status);
    }
}
