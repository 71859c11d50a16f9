using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>
/// What only the Responses API understands (built-in tools, a tool_choice naming one, input_file parts, item
/// references, built-in tool call items): relayed unchanged to a provider serving the Responses API, refused with 400
/// naming the provider where the request would be translated to chat, and never silently dropped.
/// </summary>
public sealed class ResponsesBuiltInToolsTests
{
    private const string UpstreamModel = "gpt-4o-mini-2024-07-18";

    private const string BuiltInBody = """
        {"model":"fake/gpt-test",
         "input":[{"role":"user","content":[{"type":"input_text","text":"Summarise the file, then search the news."},{"type":"input_file","file_id":"file-abc"}]},
                  {"type":"item_reference","id":"msg_earlier"}],
         "tools":[{"type":"web_search_preview","search_context_size":"low"},{"type":"file_search","vector_store_ids":["vs_1"]},
                  {"type":"function","name":"lookup","parameters":{"type":"object","properties":{}}}],
         "tool_choice":{"type":"web_search_preview"},
         "include":["file_search_call.results"]}
        """;

    [Fact]
    public async Task An_openai_upstream_gets_built_in_tools_file_parts_and_item_references_as_the_client_wrote_them()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Reply = "Here is the summary";
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), new Dictionary<string, string> { ["FAKE_UPSTREAM_KEY"] = "sk-up" });

        var (status, answer, _) = await AccessKit.PostAsync(router, "/v1/responses", BuiltInBody, remote: false);

        Assert.Equal(HttpStatusCode.OK, status);
        var sent = fake.Single();
        Assert.Equal(("POST", "/v1/responses", "Bearer sk-up"), (sent.Method, sent.Path, sent.Header("authorization")));
        var expected = JsonNode.Parse(BuiltInBody)!.AsObject();
        expected["model"] = UpstreamModel;
        Assert.True(JsonNode.DeepEquals(expected, sent.Json), sent.Body);
        Assert.Equal("Here is the summary", answer!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, "fake", "gpt-test"), (logged.Status, logged.Provider, logged.Model));
    }

    [Fact]
    public async Task A_response_holding_a_built_in_tool_call_is_continued_with_the_call_in_the_upstreams_input()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var searchCall = JsonNode.Parse("""{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"news"}}""")!;
        fake.Handler = (http, request) =>
        {
            http.Response.ContentType = "application/json";
            var output = request.Json["input"] is JsonValue
                ? new[] { searchCall.DeepClone(), FakeOpenAiResponses.Message("Found it.", "completed") }
                : [FakeOpenAiResponses.Message("Still found.", "completed")];
            return http.Response.WriteAsync(FakeOpenAiResponses.Response(request.Json, output, 3).ToJsonString());
        };
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var (_, first, _) = await AccessKit.PostAsync(router, "/v1/responses",
            """{"model":"fake/gpt-test","input":"Search the news.","tools":[{"type":"web_search_preview"}]}""", remote: false);

        var (status, second, _) = await AccessKit.PostAsync(router, "/v1/responses",
            $$"""{"model":"fake/gpt-test","input":"And again?","previous_response_id":"{{first!["id"]!.GetValue<string>()}}"}""", remote: false);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Still found.", second!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        var sent = fake.Requests.Last().Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"model":"{{UpstreamModel}}","input":[
              {"type":"message","role":"user","content":"Search the news."},
              {{searchCall.ToJsonString()}},
              {{FakeOpenAiResponses.Message("Found it.", "completed").ToJsonString()}},
              {"type":"message","role":"user","content":"And again?"}]}
            """), sent), sent.ToJsonString());
    }

    [Theory]
    [InlineData("""{"model":"other/chat-x","input":"hi","tools":[{"type":"web_search_preview"}]}""", "tools[0]", "tools of type 'web_search_preview'")]
    [InlineData("""{"model":"other/chat-x","input":"hi","tools":[{"type":"function","name":"f"},{"type":"file_search","vector_store_ids":["vs_1"]}]}""", "tools[1]", "tools of type 'file_search'")]
    [InlineData("""{"model":"other/chat-x","input":"hi","tool_choice":{"type":"mcp"}}""", "tool_choice", "tool_choice of type 'mcp'")]
    [InlineData("""{"model":"other/chat-x","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}""", "input[0].content", "content parts of type 'input_file'")]
    [InlineData("""{"model":"other/chat-x","input":[{"role":"user","content":"hi"},{"type":"item_reference","id":"x"}]}""", "input[1].type", "input items of type 'item_reference'")]
    public async Task A_provider_translated_to_chat_refuses_them_with_400_naming_the_provider(string body, string param, string what)
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await AccessKit.PostAsync(router, "/v1/responses", body, remote: false);

        var error = AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", refused);
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Equal($"Model 'other/chat-x' is served by provider 'other' through chat completions, not through OpenAI's Responses API, "
            + $"and this request uses what only the Responses API understands: {what}.", error["message"]!.GetValue<string>());
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task A_model_whose_pipeline_rewrites_chat_answers_refuses_them_too()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: """
            [[models]]
            name = "gpt-think"
            provider = "fake"
            pipeline = "think_tags"
            """));

        var refused = await AccessKit.PostAsync(router, "/v1/responses",
            """{"model":"fake/gpt-think","input":"hi","tools":[{"type":"web_search_preview"}]}""", remote: false);

        var error = AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", refused);
        Assert.StartsWith("Model 'fake/gpt-think' is served by provider 'fake' through chat completions", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Only_a_candidate_serving_the_responses_api_is_tried_when_the_named_model_is_translated()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: $"""
            [[providers]]
            name = "other"
            type = "deepseek"
            api_key_env = "FAKE_UPSTREAM_KEY"
            base_url = "{fake.BaseUrl.ToString().TrimEnd('/')}"

            [[models]]
            name = "chat-x"
            provider = "other"
            fallbacks = ["fake/gpt-test"]
            """));

        var (status, _, _) = await AccessKit.PostAsync(router, "/v1/responses",
            """{"model":"other/chat-x","input":"hi","tools":[{"type":"web_search_preview"}]}""", remote: false);

        Assert.Equal(HttpStatusCode.OK, status);
        var sent = fake.Single();
        Assert.Equal("/v1/responses", sent.Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"model":"{{UpstreamModel}}","input":"hi","tools":[{"type":"web_search_preview"}]}
            """), sent.Json), sent.Body);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal(("fake", "gpt-test"), (logged.Provider, logged.Model));
    }
}
