using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>What the chat pipeline adds to a Responses request relayed to an OpenAI upstream: the key's parameter limits, and fallbacks before the first byte.</summary>
public sealed class ResponsesPassthroughPolicyTests
{
    [Fact]
    public async Task The_keys_parameter_limits_clamp_the_relayed_request()
    {
        var (fake, router) = await AccessKit.StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var (status, answer, _) = await AccessKit.PostAsync(router, "/v1/responses",
            """{"model":"fake/gpt-test","input":"hi","max_output_tokens":500,"temperature":0.9,"top_p":0.95}""", AccessKit.LimitedKey);

        Assert.True(status == HttpStatusCode.OK, answer?.ToJsonString());
        var sent = fake.Single();
        Assert.Equal("/v1/responses", sent.Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"gpt-4o-mini-2024-07-18","input":"hi","max_output_tokens":100,"temperature":0.5,"top_p":0.8}
            """), sent.Json), sent.Body);
    }

    [Theory]
    [InlineData("openai", "/v1/responses")]
    [InlineData("vllm", "/v1/chat/completions")]
    public async Task A_user_key_may_not_pick_a_dearer_service_tier_and_a_standard_one_goes_upstream(string type, string path)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var toml = AccessKit.Toml(fake.BaseUrl).Replace("type = \"openai\"", $"type = \"{type}\"", StringComparison.Ordinal);
        await using var router = await RouterHarness.StartAsync(toml, AccessKit.Environment());

        var dear = await AccessKit.PostAsync(router, "/v1/responses", """{"model":"fake/gpt-test","input":"hi","service_tier":"priority"}""", AccessKit.UserKey);
        var standard = await AccessKit.PostAsync(router, "/v1/responses", """{"model":"fake/gpt-test","input":"hi","service_tier":"flex"}""", AccessKit.UserKey);

        var error = AccessKit.AssertError(HttpStatusCode.Forbidden, "permission_error", "parameter_not_allowed", dear);
        Assert.Equal("service_tier", error["param"]!.GetValue<string>());
        Assert.True(standard.Status == HttpStatusCode.OK, standard.Body?.ToJsonString());
        var sent = fake.Single();
        Assert.Equal((path, "flex"), (sent.Path, sent.Json["service_tier"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("openai", "", "/v1/responses")]
    [InlineData("openai", "settings = { responses_api = false }", "/v1/chat/completions")]
    [InlineData("vllm", "", "/v1/chat/completions")]
    [InlineData("vllm", "settings = { responses_api = true }", "/v1/responses")]
    public async Task The_responses_api_setting_decides_which_upstreams_get_the_request_as_it_is(string type, string settings, string path)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var toml = RouterHarness.Toml(fake.BaseUrl).Replace("type = \"openai\"", $"type = \"{type}\"\n{settings}", StringComparison.Ordinal);
        await using var router = await RouterHarness.StartAsync(toml);

        using var answer = await router.Http.PostAsync("/v1/responses", new StringContent("""{"model":"fake/gpt-test","input":"hi"}""", Encoding.UTF8, "application/json"));
        var response = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(path, fake.Single().Path);
        Assert.Equal("Hello from the fake upstream", response["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stream_falls_back_to_the_next_candidate_when_the_first_refuses_before_any_byte()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, request) => request.Json["model"]!.GetValue<string>() == "up-a"
            ? FakeOpenAiUpstream.WriteErrorAsync(http, 503, "server_error", "a is down")
            : FakeOpenAiResponses.AnswerAsync(http, request.Json, "from c");
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, models: """
            [[models]]
            name = "a"
            provider = "fake"
            upstream_model = "up-a"
            fallbacks = ["fake/c"]

            [[models]]
            name = "c"
            provider = "fake"
            upstream_model = "up-c"
            """));

        using var answer = await router.Http.PostAsync("/v1/responses",
            new StringContent("""{"model":"fake/a","input":"hi","stream":true}""", Encoding.UTF8, "application/json"));
        var text = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var last = JsonNode.Parse(text.Split('\n').Last(line => line.StartsWith("data: ", StringComparison.Ordinal))[6..])!;
        Assert.Equal(("response.completed", "from c"), (last["type"]!.GetValue<string>(), last["response"]!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>()));
        // The provider's own retries of a 503 come first; then the fallback.
        Assert.All(fake.Requests, r => Assert.Equal("/v1/responses", r.Path));
        Assert.Equal(["up-a", "up-c"], fake.Requests.Select(r => r.Json["model"]!.GetValue<string>()).Distinct());
        Assert.Equal("up-c", fake.Requests.Last().Json["model"]!.GetValue<string>());
        var rows = (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();
        Assert.Equal([(InvocationStatus.Error, 0L), (InvocationStatus.Success, 2L)], rows.Select(r => (r.Status, r.CompletionTokens)));
    }
}
