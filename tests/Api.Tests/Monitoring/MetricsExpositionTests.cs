using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>GET /metrics after known traffic: exact series, valid for promtool, and scraped by a real Prometheus.</summary>
public sealed class MetricsExpositionTests(MonitoredTraffic traffic) : IClassFixture<MonitoredTraffic>
{
    private static readonly (string, string) Fake = ("provider", "fake");
    private static readonly (string, string) GptTest = ("model", "gpt-test");
    private static readonly (string, string) Other = ("provider", "other");
    private static readonly (string, string) Small = ("model", "small");

    [Fact]
    public async Task Metrics_count_the_traffic_exactly_and_label_every_series_with_the_node()
    {
        using var response = await traffic.Router.Http.GetAsync("/metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var metrics = PrometheusSamples.Parse(await response.Content.ReadAsStringAsync());

        Assert.All(metrics.All, s => Assert.Equal(MonitoredTraffic.NodeId, s.Labels["node"]));
        Assert.Equal(2, metrics.Value("llm_router_requests_total", Fake, GptTest, ("status", "success")));
        Assert.Equal(1, metrics.Value("llm_router_requests_total", Fake, GptTest, ("status", "error")));
        Assert.Equal(1, metrics.Value("llm_router_requests_total", Fake, GptTest, ("status", "client_closed")));
        Assert.Equal(2, metrics.Value("llm_router_requests_total", Other, Small, ("status", "success")));
        Assert.Equal(6, SumOf(metrics, "llm_router_requests_total"));
        Assert.Equal(23, metrics.Value("llm_router_tokens_total", Fake, GptTest, ("kind", "prompt")));
        Assert.Equal(10, metrics.Value("llm_router_tokens_total", Fake, GptTest, ("kind", "completion")));
        Assert.Equal(22, metrics.Value("llm_router_tokens_total", Other, Small, ("kind", "prompt")));
        Assert.Equal(7, metrics.Value("llm_router_tokens_total", Other, Small, ("kind", "completion")));
        Assert.Equal(MonitoredTraffic.GptTestCost, metrics.Value("llm_router_cost_usd_total", Fake, GptTest));
        Assert.Equal(MonitoredTraffic.SmallCost, metrics.Value("llm_router_cost_usd_total", Other, Small));
        Assert.Equal(4, metrics.Value("llm_router_request_duration_seconds_count", Fake, GptTest));
        Assert.Equal(4, metrics.Value("llm_router_request_duration_seconds_bucket", Fake, GptTest, ("le", "+Inf")));
        Assert.Equal(2, metrics.Value("llm_router_request_duration_seconds_count", Other, Small));
        // Time to first token: the stream with usage and the abandoned one on gpt-test, the bare stream on small.
        Assert.Equal(2, metrics.Value("llm_router_time_to_first_token_seconds_count", Fake, GptTest));
        Assert.Equal(1, metrics.Value("llm_router_time_to_first_token_seconds_count", Other, Small));
        Assert.Equal(1, metrics.Value("llm_router_upstream_errors_total", Fake, ("reason", "http_500")));
        Assert.Single(metrics.All, s => s.Name == "llm_router_upstream_errors_total");
        Assert.Equal(0, metrics.Value("llm_router_in_flight_requests"));
        Assert.Equal(0, metrics.Value("llm_router_rate_limited_total", ("scope", "model")));
        Assert.Equal(0, metrics.Value("llm_router_rate_limited_total", ("scope", "key")));
        Assert.Equal(4, metrics.Value("llm_router_api_key_requests_total", ("api_key", "none"), ("status", "success")));
        Assert.Equal(MonitoredTraffic.TotalCost, metrics.Value("llm_router_api_key_cost_usd_total", ("api_key", "none")));
        Assert.Equal(1, metrics.Value("llm_router_build_info"));
        // Runtime, server and upstream client series come with OpenTelemetry, under .NET's own instrument names.
        Assert.True(metrics.Value("dotnet_process_memory_working_set_bytes") > 0);
        Assert.True(metrics.Has("dotnet_gc_collections_total", ("gc_heap_generation", "gen0")));
        Assert.True(metrics.Value("dotnet_thread_pool_threads") > 0);
        Assert.True(metrics.Has("http_server_request_duration_seconds_count", ("http_route", "/v1/chat/completions"), ("http_response_status_code", "200")));
        // Every request the fake upstream received, the retried failures included; only "fail" got a 500.
        Assert.Equal(traffic.Fake.Requests.Count, SumOf(metrics, "http_client_request_duration_seconds_count"));
        Assert.Equal(traffic.Fake.Requests.Count(r => r.Json["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>() == "fail"),
            metrics.Value("http_client_request_duration_seconds_count", ("http_response_status_code", "500")));

        var buckets = metrics.All.Where(s => s.Name == "llm_router_request_duration_seconds_bucket" && s.Labels["model"] == "gpt-test").Select(s => decimal.Parse(s.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(buckets.Order(), buckets);
    }

    [Fact]
    public async Task The_router_counters_equal_the_invocation_log()
    {
        var log = traffic.Router.Services.GetRequiredService<IInvocationLog>();
        var page = await log.ListAsync(new InvocationQuery { Limit = 1000 });
        Assert.Equal(6, page.Total);
        var metrics = PrometheusSamples.Parse(await traffic.Router.Http.GetStringAsync("/metrics"));

        foreach (var call in page.Items.GroupBy(r => (r.Provider, r.Model, Status: InvocationStatusNames.ToName(r.Status))))
        {
            var labels = new[] { ("provider", call.Key.Provider), ("model", call.Key.Model), ("status", call.Key.Status) };
            Assert.Equal(call.Count(), metrics.Value("llm_router_requests_total", labels));
        }
        Assert.Equal(page.Items.Count, SumOf(metrics, "llm_router_requests_total"));
        foreach (var model in page.Items.GroupBy(r => (r.Provider, r.Model)))
        {
            var labels = new[] { ("provider", model.Key.Provider), ("model", model.Key.Model) };
            Assert.Equal(model.Sum(r => r.PromptTokens), metrics.Value("llm_router_tokens_total", [.. labels, ("kind", "prompt")]));
            Assert.Equal(model.Sum(r => r.CompletionTokens), metrics.Value("llm_router_tokens_total", [.. labels, ("kind", "completion")]));
            Assert.Equal(model.Sum(r => r.Cost), metrics.Value("llm_router_cost_usd_total", labels));
            Assert.Equal(model.Count(), metrics.Value("llm_router_request_duration_seconds_count", labels));
            Assert.Equal(model.Count(r => r.TimeToFirstTokenMs is not null), metrics.Value("llm_router_time_to_first_token_seconds_count", labels));
        }
        foreach (var key in page.Items.GroupBy(r => r.ApiKeyName ?? "none"))
        {
            Assert.Equal(key.Sum(r => r.Cost), metrics.Value("llm_router_api_key_cost_usd_total", ("api_key", key.Key)));
            Assert.Equal(key.Sum(r => r.PromptTokens), metrics.Value("llm_router_api_key_tokens_total", ("api_key", key.Key), ("kind", "prompt")));
        }
    }

    private static decimal SumOf(PrometheusSamples metrics, string name) =>
        metrics.All.Where(s => s.Name == name).Sum(s => decimal.Parse(s.Value, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task Promtool_accepts_the_exposition()
    {
        var (exitCode, output) = await PrometheusTools.CheckMetricsAsync(await traffic.Router.Http.GetStringAsync("/metrics"));

        Assert.True(exitCode == 0, output);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_the_node_and_every_dashboard_query_returns_data()
    {
        await using var prometheus = await PrometheusTools.StartAsync(traffic.Router.BaseUrl.Authority);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        var sum = await prometheus.QueryUntilAsync("sum(llm_router_requests_total)", r => r.Count == 1, deadline);
        Assert.Equal("6", Assert.Single(sum)!["value"]![1]!.GetValue<string>());
        var byNode = await prometheus.QueryAsync("sum by (node) (llm_router_cost_usd_total)");
        Assert.Equal(MonitoredTraffic.NodeId, Assert.Single(byNode)!["metric"]!["node"]!.GetValue<string>());
        Assert.Equal(MonitoredTraffic.TotalCost, decimal.Parse(byNode[0]!["value"]![1]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        var queries = DashboardQueries();
        Assert.True(queries.Count >= 20, $"the dashboard has {queries.Count} queries");
        foreach (var (title, expression) in queries)
        {
            // Rates need two scrapes inside their window; keep asking until the data is there or time is up.
            var result = await prometheus.QueryUntilAsync(expression, r => r.Count > 0, deadline);
            Assert.True(result.Count > 0, $"panel '{title}': {expression} returned no data");
        }
    }

    /// <summary>Every panel query of the Grafana dashboard, with the dashboard's variables replaced as Grafana would.</summary>
    private static List<(string Title, string Expression)> DashboardQueries()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "grafana", "dashboards", "llm-router.json")))!;
        return dashboard["panels"]!.AsArray()
            .SelectMany(p => (p!["targets"]?.AsArray() ?? []).Select(t => (p["title"]!.GetValue<string>(), t!["expr"]!.GetValue<string>())))
            .Select(q => (q.Item1, q.Item2.Replace("$__rate_interval", "1m", StringComparison.Ordinal)
                .Replace("$__range", "1h", StringComparison.Ordinal)
                .Replace("$node", ".*", StringComparison.Ordinal)))
            .ToList();
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmRouter.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("LlmRouter.sln not found above the test binaries");
    }
}
