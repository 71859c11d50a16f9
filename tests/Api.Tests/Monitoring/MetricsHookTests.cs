using System.Net;
using System.Text;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Metrics;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>The metric hooks other components use, label hygiene, and per-node isolation of metrics.</summary>
public sealed class MetricsHookTests
{
    [Fact]
    public async Task Rate_limit_and_upstream_error_hooks_show_up_on_metrics()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var hooks = router.Services.GetRequiredService<IRouterMetrics>();
        // A scrape just before: the next one must not be an answer the exporter kept from it.
        Assert.Equal(0, (await MetricsAsync(router)).Value("llm_router_rate_limited_total", ("scope", "key")));

        hooks.RateLimited(RateLimitScopes.Key);
        hooks.RateLimited(RateLimitScopes.Key);
        hooks.RateLimited(RateLimitScopes.Model);
        hooks.UpstreamError("fake", UpstreamErrorReasons.Timeout);

        var metrics = await MetricsAsync(router);
        Assert.Equal(2, metrics.Value("llm_router_rate_limited_total", ("scope", "key")));
        Assert.Equal(1, metrics.Value("llm_router_rate_limited_total", ("scope", "model")));
        Assert.Equal(1, metrics.Value("llm_router_upstream_errors_total", ("provider", "fake"), ("reason", "timeout")));
    }

    [Fact]
    public async Task An_upstream_that_breaks_mid_stream_counts_as_one_upstream_error()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("m", new() { ["content"] = "partial" }, null, includeUsage: true));
            await FakeOpenAiUpstream.WriteEventAsync(http, "{not json");
        };
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        using (var response = await router.Http.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"fake/gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await router.Services.GetRequiredService<IInvocationLog>().FlushAsync();
        var metrics = await MetricsAsync(router);
        Assert.Equal(1, metrics.Value("llm_router_upstream_errors_total", ("provider", "fake"), ("reason", "protocol")));
        Assert.Single(metrics.All, s => s.Name == "llm_router_upstream_errors_total");
        Assert.Equal(1, metrics.Value("llm_router_requests_total", ("model", "gpt-test"), ("status", "error")));
        Assert.Equal(0, metrics.Value("llm_router_in_flight_requests"));
    }

    [Fact]
    public async Task A_stream_in_progress_counts_as_in_flight_until_it_ends()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var release = new TaskCompletionSource();
        fake.Handler = (http, _) => FakeOpenAiUpstream.StreamAsync(http, "m", ["first", " second"], includeUsage: true,
            between: i => i == 0 ? release.Task.WaitAsync(TimeSpan.FromSeconds(20)) : Task.CompletedTask);
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"fake/gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await router.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await reader.ReadLineAsync(timeout.Token) is { } line && !line.Contains("\"first\"", StringComparison.Ordinal))
        {
        }
        Assert.Equal(1, (await MetricsAsync(router)).Value("llm_router_in_flight_requests"));

        release.SetResult();
        await reader.ReadToEndAsync(timeout.Token);
        decimal inFlight = -1;
        for (var i = 0; i < 100 && inFlight != 0; i++)
        {
            // The router releases the upstream right after the client has the last byte.
            inFlight = (await MetricsAsync(router)).Value("llm_router_in_flight_requests");
            await Task.Delay(inFlight == 0 ? 0 : 50);
        }
        Assert.Equal(0, inFlight);
    }

    [Fact]
    public async Task Api_keys_are_labelled_by_name_and_label_values_are_escaped()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var listener = router.Services.GetServices<IInvocationListener>().OfType<LlmRouter.Api.Monitoring.RouterMetrics>().Single();
        const string odd = "we\"ird\\model\nname";

        await listener.OnInvocationCompleted(new InvocationRecord
        {
            CreatedAt = DateTimeOffset.UtcNow,
            ApiKeyId = "key-7f3a9c",
            ApiKeyName = "team-a",
            ClientFormat = "openai",
            Provider = "p",
            Model = odd,
            Status = InvocationStatus.Success,
            PromptTokens = 3,
            CompletionTokens = 4,
            Cost = 0.000000007m,
            LatencyMs = 1500,
        });

        var text = await router.Http.GetStringAsync("/metrics");
        var metrics = PrometheusSamples.Parse(text);
        Assert.Equal(1, metrics.Value("llm_router_requests_total", ("model", odd), ("status", "success")));
        Assert.Equal(0.000000007m, metrics.Value("llm_router_cost_usd_total", ("model", odd)));
        Assert.Equal(1, metrics.Value("llm_router_request_duration_seconds_bucket", ("model", odd), ("le", "2.5")));
        Assert.Equal(0, metrics.Value("llm_router_request_duration_seconds_bucket", ("model", odd), ("le", "1")));
        Assert.Equal(1, metrics.Value("llm_router_api_key_requests_total", ("api_key", "team-a"), ("status", "success")));
        Assert.Equal(4, metrics.Value("llm_router_api_key_tokens_total", ("api_key", "team-a"), ("kind", "completion")));
        Assert.DoesNotContain("key-7f3a9c", text, StringComparison.Ordinal);
        var (exitCode, output) = await PrometheusTools.CheckMetricsAsync(text);
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Each_node_counts_only_its_own_calls()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var first = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), new Dictionary<string, string> { ["LLM_ROUTER_NODE_ID"] = "node-a" });
        await using var second = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), new Dictionary<string, string> { ["LLM_ROUTER_NODE_ID"] = "node-b" });

        await first.OpenAiChat("fake/gpt-test").CompleteChatAsync([new OpenAI.Chat.UserChatMessage("hi")]);

        var a = await MetricsAsync(first);
        var b = await MetricsAsync(second);
        Assert.Equal(1, a.Value("llm_router_requests_total", ("node", "node-a"), ("status", "success")));
        Assert.False(b.Has("llm_router_requests_total"));
        // The upstream client's series are per node too: only the node that called the upstream has them.
        Assert.Equal(1, a.Value("http_client_request_duration_seconds_count", ("node", "node-a")));
        Assert.False(b.Has("http_client_request_duration_seconds_count"));
        Assert.All(b.All, s => Assert.Equal("node-b", s.Labels["node"]));
    }

    private static async Task<PrometheusSamples> MetricsAsync(RouterHarness router) =>
        PrometheusSamples.Parse(await router.Http.GetStringAsync("/metrics"));
}
