using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>
/// An upstream of type <c>openai</c> that has no Responses API (llama.cpp's server, older vLLM and Ollama answer 404
/// to /v1/responses): the call is translated to chat completions instead, and the provider is remembered so later
/// calls go to chat directly; a model unknown to both APIs is the upstream's 404, and nothing is remembered.
/// </summary>
public sealed class ResponsesApiFallbackTests
{
    private const string Reply = "Served by chat";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_404_from_the_responses_api_is_served_by_chat_and_the_provider_is_remembered(bool stream)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, request) => request.Path == "/v1/responses"
            ? NotFoundAsync(http)
            : request.Json["stream"]?.GetValue<bool>() == true
                ? FakeOpenAiUpstream.StreamAsync(http, "m", FakeOpenAiUpstream.SplitWords(Reply), includeUsage: true)
                : FakeOpenAiUpstream.WriteCompletionAsync(http, "m", Reply);
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var body = $$"""{"model":"fake/gpt-test","input":"hi","stream":{{(stream ? "true" : "false")}}}""";

        var first = await PostAsync(router, body, stream);
        var second = await PostAsync(router, body, stream);

        Assert.Equal((Reply, Reply), (first, second));
        Assert.Equal(["/v1/responses", "/v1/chat/completions", "/v1/chat/completions"], fake.Requests.Select(r => r.Path));
        var expected = JsonNode.Parse("""{"model":"gpt-4o-mini-2024-07-18","messages":[{"role":"user","content":"hi"}]}""")!.AsObject();
        if (stream)
        {
            expected["stream"] = true;
            expected["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        Assert.All(fake.Requests.Skip(1), sent => Assert.True(JsonNode.DeepEquals(expected, sent.Json), sent.Body));
        var logged = await router.InvocationsAsync();
        Assert.Equal([(InvocationStatus.Success, 11L), (InvocationStatus.Success, 11L)], logged.Select(r => (r.Status, r.PromptTokens)));
    }

    [Fact]
    public async Task A_model_unknown_to_both_apis_answers_the_responses_apis_404_and_is_not_remembered()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, request) => FakeOpenAiUpstream.WriteErrorAsync(http, 404, "invalid_request_error",
            $"The model 'gpt-4o-mini-2024-07-18' does not exist ({request.Path})", "model_not_found");
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        var refused = await AccessKit.PostAsync(router, "/v1/responses", """{"model":"fake/gpt-test","input":"hi"}""", remote: false);
        await AccessKit.PostAsync(router, "/v1/responses", """{"model":"fake/gpt-test","input":"hi"}""", remote: false);

        var error = AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", refused);
        Assert.Equal("The model 'gpt-4o-mini-2024-07-18' does not exist (/v1/responses)", error["message"]!.GetValue<string>());
        Assert.Equal(["/v1/responses", "/v1/chat/completions", "/v1/responses", "/v1/chat/completions"], fake.Requests.Select(r => r.Path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_404_from_the_responses_api_refuses_built_in_tools_instead_of_dropping_them_in_chat_remembered_or_not(bool stream)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, request) => request.Path == "/v1/responses" ? NotFoundAsync(http) : FakeOpenAiUpstream.WriteCompletionAsync(http, "m", Reply);
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var builtIn = $$"""{"model":"fake/gpt-test","input":"news?","tools":[{"type":"web_search_preview"}],"stream":{{(stream ? "true" : "false")}}}""";

        var before = await AccessKit.PostAsync(router, "/v1/responses", builtIn, remote: false);
        Assert.Equal(Reply, await PostAsync(router, """{"model":"fake/gpt-test","input":"hi"}""", stream: false));
        var after = await AccessKit.PostAsync(router, "/v1/responses", builtIn, remote: false);

        Assert.Equal(["/v1/responses", "/v1/responses", "/v1/chat/completions", "/v1/responses"], fake.Requests.Select(r => r.Path));
        var expected = JsonNode.Parse(builtIn)!.AsObject();
        expected["model"] = "gpt-4o-mini-2024-07-18";
        if (!stream)
        {
            expected.Remove("stream");
        }
        Assert.All(fake.Requests.Where(r => r.Path == "/v1/responses" && r.Json["tools"] is not null), sent => Assert.True(JsonNode.DeepEquals(expected, sent.Json), sent.Body));
        foreach (var refused in new[] { before, after })
        {
            var error = AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "upstream_404", refused);
            Assert.Equal("provider 'fake' answered 404 to POST /v1/responses (404 page not found), and this request cannot go to its chat completions "
                + "instead: it uses what only the Responses API understands (tools of type 'web_search_preview')", error["message"]!.GetValue<string>());
        }
        var logged = await router.InvocationsAsync();
        Assert.Equal([InvocationStatus.Error, InvocationStatus.Success, InvocationStatus.Error], logged.Select(r => r.Status));
    }

    /// <summary>What a server without the route answers: a plain-text 404, as Go's and llama.cpp's servers do.</summary>
    private static Task NotFoundAsync(HttpContext http)
    {
        http.Response.StatusCode = 404;
        http.Response.ContentType = "text/plain";
        return http.Response.WriteAsync("404 page not found");
    }

    /// <summary>The response's output text: from the whole answer, or from the stream's response.completed event.</summary>
    private static async Task<string> PostAsync(RouterHarness router, string body, bool stream)
    {
        if (!stream)
        {
            var (status, answer, _) = await AccessKit.PostAsync(router, "/v1/responses", body, remote: false);
            Assert.True(status == HttpStatusCode.OK, answer?.ToJsonString());
            return answer!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>();
        }
        var (_, events) = await ResponsesEventStream.PostAsync(router, body, _ => { });
        Assert.Equal("response.completed", events[^1]["type"]!.GetValue<string>());
        return events[^1]["response"]!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>();
    }
}
