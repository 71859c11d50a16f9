using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using OpenAI.Responses;

namespace LlmRouter.Api.Tests.Responses;

#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental.

/// <summary>
/// POST /v1/responses routed to an OpenAI upstream: the upstream gets the client's request as it is at
/// /v1/responses (model mapped, a router previous_response_id expanded), and its answer and events are relayed,
/// under the router's id when the router keeps the response.
/// </summary>
public sealed class ResponsesPassthroughTests
{
    private const string Model = "fake/gpt-test";
    private const string UpstreamModel = "gpt-4o-mini-2024-07-18";

    [Fact]
    public async Task The_upstream_gets_the_clients_body_with_only_the_model_mapped_and_the_answer_comes_back_under_the_routers_id()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Reply = "Hello there";
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), new Dictionary<string, string> { ["FAKE_UPSTREAM_KEY"] = "sk-up" });
        const string body = """
            {"model":"fake/gpt-test","input":[{"role":"user","content":[{"type":"input_text","text":"Say hello"}]}],
             "instructions":"Be brief.","max_output_tokens":50,"temperature":0.25,"metadata":{"trace":"t1"},"user":"u-7"}
            """;

        var (status, answer) = await PostAsync(router, body);

        Assert.Equal(HttpStatusCode.OK, status);
        var sent = fake.Single();
        Assert.Equal(("POST", "/v1/responses", "Bearer sk-up"), (sent.Method, sent.Path, sent.Header("authorization")));
        var expected = JsonNode.Parse(body)!.AsObject();
        expected["model"] = UpstreamModel;
        Assert.True(JsonNode.DeepEquals(expected, sent.Json), sent.Body);
        var id = answer!["id"]!.GetValue<string>();
        Assert.StartsWith("resp_", id);
        Assert.NotEqual(FakeOpenAiResponses.ResponseId, id);
        Assert.Equal((FakeOpenAiResponses.MessageId, "Hello there"), (answer["output"]![0]!["id"]!.GetValue<string>(), answer["output"]![0]!["content"]![0]!["text"]!.GetValue<string>()));
        Assert.Equal(UpstreamModel, answer["model"]!.GetValue<string>());
        var fetched = await router.Http.GetAsync("/v1/responses/" + id);
        Assert.True(JsonNode.DeepEquals(answer, JsonNode.Parse(await fetched.Content.ReadAsStringAsync())));
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, "openai-responses", 11L, 2L, false), (logged.Status, logged.ClientFormat, logged.PromptTokens, logged.CompletionTokens, logged.UsageEstimated));
    }

    [Fact]
    public async Task Plain_request_through_the_sdk_is_relayed_with_its_usage()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        var response = (await ResponsesApiTests.Client(router).CreateResponseAsync(new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Say hello")])
        {
            Instructions = "Be brief.",
        })).Value;

        Assert.Equal("Hello from the fake upstream", response.GetOutputText());
        Assert.StartsWith("resp_", response.Id);
        Assert.NotEqual(FakeOpenAiResponses.ResponseId, response.Id);
        Assert.Equal((11, 5, 16), (response.Usage.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        var sent = fake.Single();
        Assert.Equal("/v1/responses", sent.Path);
        Assert.Equal((UpstreamModel, "Be brief."), (sent.Json["model"]!.GetValue<string>(), sent.Json["instructions"]!.GetValue<string>()));
        Assert.Null(sent.Json["messages"]);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, 11L, 5L), (logged.Status, logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Streamed_request_through_the_sdk_relays_the_upstreams_events_under_the_routers_id()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Reply = "one two three";
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        var deltas = new List<string>();
        var kinds = new List<string>();
        string? createdId = null;
        ResponseResult? completed = null;
        await foreach (var update in await ResponsesApiTests.Client(router).CreateResponseStreamingAsync(
            new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("count")]) { StreamingEnabled = true }))
        {
            kinds.Add(update.GetType().Name);
            switch (update)
            {
                case StreamingResponseCreatedUpdate created:
                    createdId = created.Response.Id;
                    break;
                case StreamingResponseOutputTextDeltaUpdate delta:
                    deltas.Add(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate end:
                    completed = end.Response;
                    break;
            }
        }

        Assert.Equal(["one", " two", " three"], deltas);
        Assert.Equal(
            ["StreamingResponseCreatedUpdate", "StreamingResponseInProgressUpdate", "StreamingResponseOutputItemAddedUpdate", "StreamingResponseContentPartAddedUpdate",
             "StreamingResponseOutputTextDeltaUpdate", "StreamingResponseOutputTextDeltaUpdate", "StreamingResponseOutputTextDeltaUpdate",
             "StreamingResponseOutputTextDoneUpdate", "StreamingResponseContentPartDoneUpdate", "StreamingResponseOutputItemDoneUpdate", "StreamingResponseCompletedUpdate"],
            kinds);
        Assert.Equal("one two three", completed!.GetOutputText());
        Assert.Equal((11, 3), (completed.Usage.InputTokenCount, completed.Usage.OutputTokenCount));
        Assert.Equal(createdId, completed.Id);
        Assert.NotEqual(FakeOpenAiResponses.ResponseId, completed.Id);
        var sent = fake.Single();
        Assert.Equal("/v1/responses", sent.Path);
        Assert.True(sent.Json["stream"]!.GetValue<bool>());
        Assert.Null(sent.Json["stream_options"]);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, true, 11L, 3L, false), (logged.Status, logged.Stream, logged.PromptTokens, logged.CompletionTokens, logged.UsageEstimated));
        var kept = (await ResponsesApiTests.Client(router).GetResponseAsync(new GetResponseOptions(completed.Id))).Value;
        Assert.Equal("one two three", kept.GetOutputText());
    }

    [Fact]
    public async Task Previous_response_id_of_the_router_is_expanded_into_input_for_the_upstream()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var (_, first) = await PostAsync(router, """{"model":"fake/gpt-test","input":"My name is Ada."}""");
        var firstId = first!["id"]!.GetValue<string>();
        fake.Reply = "Your name is Ada.";

        var (status, second) = await PostAsync(router, $$"""
            {"model":"fake/gpt-test","input":[{"role":"user","content":"What is my name?"}],"previous_response_id":"{{firstId}}"}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((firstId, "Your name is Ada."), (second!["previous_response_id"]!.GetValue<string>(), second["output"]![0]!["content"]![0]!["text"]!.GetValue<string>()));
        var sent = fake.Requests.Last().Json;
        Assert.False(sent.ContainsKey("previous_response_id"));
        var earlierOutput = FakeOpenAiResponses.Message("Hello from the fake upstream", "completed").ToJsonString();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"model":"{{UpstreamModel}}","input":[
              {"type":"message","role":"user","content":"My name is Ada."},
              {{earlierOutput}},
              {"role":"user","content":"What is my name?"}]}
            """), sent), sent.ToJsonString());
    }

    [Fact]
    public async Task An_upstream_refusal_is_answered_in_openai_shape_with_its_status()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, _) => FakeOpenAiUpstream.WriteErrorAsync(http, 400, "invalid_request_error", "Unsupported parameter: 'reasoning.effort'.", "unsupported_parameter");
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        var (status, answer) = await PostAsync(router, """{"model":"fake/gpt-test","input":"hi"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("invalid_request_error", "Unsupported parameter: 'reasoning.effort'.", "unsupported_parameter"),
            (answer!["error"]!["type"]!.GetValue<string>(), answer["error"]!["message"]!.GetValue<string>(), answer["error"]!["code"]!.GetValue<string>()));
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Error, 400), (logged.Status, logged.HttpStatus));
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(RouterHarness router, string body)
    {
        using var answer = await router.Http.PostAsync("/v1/responses", new StringContent(body, Encoding.UTF8, "application/json"));
        return (answer.StatusCode, JsonNode.Parse(await answer.Content.ReadAsStringAsync()));
    }
}
