using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>
/// Calls the router answers itself (a limit, the key's policy, an unknown model, a bad body) are in the invocation log
/// as status rejected, with the reason and the limit that refused, no upstream attempt, no tokens and no cost; they are
/// counted apart in the statistics, and an unauthenticated caller adds nothing to the log.
/// </summary>
public sealed class RejectedCallTests : IAsyncLifetime
{
    private const string OneAMinuteKey = "sk-test-one-a-minute-9a4c2e71";

    private FakeOpenAiUpstream _fake = null!;
    private RouterHarness _router = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeOpenAiUpstream.StartAsync();
        _router = await RouterHarness.StartAsync(
            AccessKit.Toml(_fake.BaseUrl) + "\n" + AccessKit.OneAMinuteKeyToml("one-a-minute", OneAMinuteKey), AccessKit.Environment());
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task A_call_refused_by_a_rate_limit_is_logged_with_the_limit_and_nothing_went_upstream()
    {
        Assert.Equal(HttpStatusCode.OK, (await AccessKit.PostAsync(_router, "/v1/chat/completions", AccessKit.ChatBody(), OneAMinuteKey)).Status);
        var refused = await AccessKit.PostAsync(_router, "/v1/chat/completions", AccessKit.ChatBody(), OneAMinuteKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);

        Assert.Single(_fake.Requests);
        var logged = await _router.InvocationsAsync();
        Assert.Equal([InvocationStatus.Rejected, InvocationStatus.Success], logged.Select(r => r.Status));
        var rejected = logged[0];
        Assert.Equal(("fake", "gpt-test", "one-a-minute", 429, "key rpm 1"),
            (rejected.Provider, rejected.Model, rejected.ApiKeyName, rejected.HttpStatus, rejected.RefusedBy));
        Assert.Equal($"rate_limit_exceeded: {refused.Body!["error"]!["message"]!.GetValue<string>()}", rejected.Error);
        Assert.Equal((0, 0L, 0L, 0m, "openai"), (rejected.Attempts, rejected.PromptTokens, rejected.CompletionTokens, rejected.Cost, rejected.ClientFormat));
        Assert.DoesNotContain(OneAMinuteKey, rejected.Error, StringComparison.Ordinal);

        // The API shows it, filters by it, and counts it apart from the calls made.
        var list = await GetAsync("/monitor/invocations?status=rejected");
        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal(("rejected", "key rpm 1", 0), (item["status"]!.GetValue<string>(), item["refused_by"]!.GetValue<string>(), item["attempts"]!.GetValue<int>()));
        var statistics = await GetAsync("/monitor/statistics");
        Assert.Equal((1, 1, 0, 1), (Int(statistics, "total_requests"), Int(statistics, "successful_requests"), Int(statistics, "failed_requests"),
            Int(statistics, "rejected_requests")));
        Assert.Equal((0.0, 0.5), (statistics["error_rate"]!.GetValue<double>(), statistics["rejected_rate"]!.GetValue<double>()));
        var byKey = Assert.Single(statistics["by_api_key"]!.AsArray())!;
        Assert.Equal((1, 1), (Int(byKey, "requests"), Int(byKey, "rejected")));
        var series = await GetAsync("/monitor/time-series?granularity=hour");
        Assert.Equal(1, series["buckets"]!.AsArray().Sum(b => Int(b!, "rejected")));
    }

    [Fact]
    public async Task Policy_routing_and_body_refusals_on_every_front_door_are_logged_and_401s_are_not()
    {
        // A key may not use the model (403), an unknown model (404, OpenAI and native invoke), a body that is no JSON
        // (400), the Anthropic front door's own 404, and tags no model has (404 on /route/invoke).
        var denied = await AccessKit.PostAsync(_router, "/v1/chat/completions", AccessKit.ChatBody("fake/gpt-second"), AccessKit.LimitedKey);
        var unknown = await AccessKit.PostAsync(_router, "/v1/chat/completions", AccessKit.ChatBody("nope/none"), AccessKit.UserKey);
        var invoke = await AccessKit.PostAsync(_router, "/models/nope/none/invoke", """{"prompt":"hi"}""", AccessKit.UserKey);
        var broken = await AccessKit.PostAsync(_router, "/v1/chat/completions", "{not json", AccessKit.UserKey);
        var anthropic = await AccessKit.PostAsync(_router, "/v1/messages",
            """{"model":"nope/none","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", AccessKit.UserKey);
        var tags = await AccessKit.PostAsync(_router, "/route/invoke", """{"query":{"tags":["no-such-tag"]},"request":{"prompt":"hi"}}""", AccessKit.UserKey);
        var unauthenticated = await AccessKit.PostAsync(_router, "/v1/chat/completions", AccessKit.ChatBody(), "sk-wrong-key-0000");
        Assert.Equal(
            [HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.NotFound,
                HttpStatusCode.NotFound, HttpStatusCode.Unauthorized],
            new[] { denied, unknown, invoke, broken, anthropic, tags, unauthenticated }.Select(r => r.Status));

        Assert.Empty(_fake.Requests);
        var logged = (await _router.InvocationsAsync()).Reverse().ToList();
        Assert.All(logged, r => Assert.Equal((InvocationStatus.Rejected, 0, 0L, 0m, (string?)null), (r.Status, r.Attempts, r.TotalTokens, r.Cost, r.RefusedBy)));
        Assert.Equal(
        [
            ("limited", "openai", "fake/gpt-second", 403),
            ("user", "openai", "nope/none", 404),
            ("user", "native", "nope/none", 404),
            ("user", "openai", "", 400),
            ("user", "anthropic", "nope/none", 404),
            ("user", "native", "", 404),
        ], logged.Select(r => (r.ApiKeyName, r.ClientFormat, r.Model, r.HttpStatus)));
        Assert.Equal(denied.Body!["error"]!["code"]!.GetValue<string>() + ": " + denied.Body!["error"]!["message"]!.GetValue<string>(), logged[0].Error);
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        var (status, body, _) = await AccessKit.SendAsync(_router, HttpMethod.Get, path, credential: AccessKit.AdminKey);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body?.ToJsonString()}");
        return body!;
    }

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();
}
