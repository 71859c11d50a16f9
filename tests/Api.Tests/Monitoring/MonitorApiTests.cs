using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>The monitoring and cost APIs after a known mix of calls: every count, token and cost is exact.</summary>
public sealed class MonitorApiTests(MonitoredTraffic traffic) : IClassFixture<MonitoredTraffic>
{
    private const string Wide = "start=2000-01-01&end=2100-01-01";

    [Fact]
    public async Task Streams_are_counted_whether_or_not_the_client_asked_for_usage()
    {
        var usage = JsonNode.Parse(Assert.Single(traffic.UsageStreamEvents, e => e.Contains("\"usage\":{", StringComparison.Ordinal)))!;
        Assert.Empty(usage["choices"]!.AsArray());
        Assert.Equal((11, 4), (usage["usage"]!["prompt_tokens"]!.GetValue<int>(), usage["usage"]!["completion_tokens"]!.GetValue<int>()));
        Assert.DoesNotContain(traffic.BareStreamEvents, e => e.Contains("\"usage\":{", StringComparison.Ordinal));
        Assert.Equal("[DONE]", traffic.BareStreamEvents[^1]);
        // The router asked the upstream for usage in both cases.
        var streamed = traffic.Fake.Requests.Select(r => r.Json).Where(j => j["stream"]?.GetValue<bool>() == true).ToList();
        Assert.Equal(3, streamed.Count);
        Assert.All(streamed, j => Assert.True(j["stream_options"]!["include_usage"]!.GetValue<bool>()));

        var list = await traffic.GetJsonAsync("/monitor/invocations?provider=other&status=success");
        var bare = Assert.Single(list["items"]!.AsArray(), i => i!["stream"]!.GetValue<bool>())!;
        Assert.Equal((11, 2, 13), (Int(bare, "prompt_tokens"), Int(bare, "completion_tokens"), Int(bare, "total_tokens")));
        Assert.Equal(MonitoredTraffic.StreamBareCost, bare["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Invocation_list_holds_every_call_newest_first_without_bodies()
    {
        var list = await traffic.GetJsonAsync("/monitor/invocations");

        Assert.Equal(6, Int(list, "total"));
        var items = list["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(6, items.Count);
        Assert.Equal(items.Select(i => Long(i, "id")).OrderDescending(), items.Select(i => Long(i, "id")));
        Assert.All(items, i => Assert.False(i.ContainsKey("request") || i.ContainsKey("response") || i.ContainsKey("raw")));
        Assert.All(items, i => Assert.Equal(MonitoredTraffic.NodeId, i["node"]!.GetValue<string>()));
        string[] prompts = ["fail", "hang", "native", "stream-bare", "stream-usage", "plain"];
        var expected = new (string Provider, string Model, string Status, int Http, bool Stream, string Format, long Prompt, long Completion, decimal Cost)[]
        {
            ("fake", "gpt-test", "error", 502, false, "openai", 0, 0, 0m),
            ("fake", "gpt-test", "client_closed", 499, true, "openai", 1, 1, MonitoredTraffic.AbandonedCost),
            ("other", "small", "success", 200, false, "native", 11, 5, MonitoredTraffic.NativeCost),
            ("other", "small", "success", 200, true, "openai", 11, 2, MonitoredTraffic.StreamBareCost),
            ("fake", "gpt-test", "success", 200, true, "openai", 11, 4, MonitoredTraffic.StreamUsageCost),
            ("fake", "gpt-test", "success", 200, false, "openai", 11, 5, MonitoredTraffic.PlainCost),
        };
        for (var n = 0; n < expected.Length; n++)
        {
            var i = items[n];
            var e = expected[n];
            Assert.Equal(e, (Str(i, "provider"), Str(i, "model"), Str(i, "status"), Int(i, "http_status"), i["stream"]!.GetValue<bool>(),
                Str(i, "client_format"), Long(i, "prompt_tokens"), Long(i, "completion_tokens"), i["cost"]!.GetValue<decimal>()));
            // The upstream's 500 is retried twice by the provider's resilience policy before the router gives up.
            Assert.Equal(Str(i, "status") == "error" ? 3 : 1, Int(i, "attempts"));
            var detail = await traffic.GetJsonAsync($"/monitor/invocations/{Long(i, "id")}");
            Assert.Contains($"\"content\":\"{prompts[n]}\"", Str(detail, "request"), StringComparison.Ordinal);
        }
        Assert.Null(items[0]["time_to_first_token_ms"]);
        Assert.NotNull(items[1]["time_to_first_token_ms"]);
        Assert.Equal("the client closed the connection", Str(items[1], "error"));
        Assert.Contains("fell over", Str(items[0], "error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invocation_list_filters_and_pages()
    {
        async Task<(int Total, List<JsonObject> Items)> Query(string query)
        {
            var list = await traffic.GetJsonAsync("/monitor/invocations?" + query);
            return (Int(list, "total"), list["items"]!.AsArray().Select(i => i!.AsObject()).ToList());
        }
        var all = (await Query("")).Items;

        var keyset = await Query($"limit=2&before_id={Long(all[1], "id")}");
        Assert.Equal(6, keyset.Total);
        Assert.Equal(all.Skip(2).Take(2).Select(i => Long(i, "id")), keyset.Items.Select(i => Long(i, "id")));
        using (var bad = await traffic.Router.Http.GetAsync("/monitor/invocations?before_id=0"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        var page = await Query("limit=2&offset=1");
        Assert.Equal(6, page.Total);
        Assert.Equal(all.Skip(1).Take(2).Select(i => Long(i, "id")), page.Items.Select(i => Long(i, "id")));
        Assert.Equal(4, (await Query("model=gpt-test")).Total);
        Assert.Equal(2, (await Query("provider=other")).Total);
        Assert.Equal(2, (await Query("provider=fake&status=success")).Total);
        var failed = Assert.Single((await Query("status=error")).Items);
        Assert.Equal(502, Int(failed, "http_status"));
        Assert.Equal("hang", JsonNode.Parse(Str(await traffic.GetJsonAsync($"/monitor/invocations/{Long(Assert.Single((await Query("status=client_closed")).Items), "id")}"), "request"))!["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(0, (await Query("api_key=nobody")).Total);
        Assert.Equal(6, (await Query(Wide)).Total);
        Assert.Equal(0, (await Query("start=" + Iso(traffic.Ended.AddMinutes(1)))).Total);
        Assert.Equal(0, (await Query("end=" + Iso(traffic.Began.AddMinutes(-1)))).Total);
        Assert.Equal(6, (await Query("start=" + traffic.Began.AddMinutes(-1).ToUnixTimeSeconds())).Total);
    }

    [Fact]
    public async Task Invocation_detail_has_the_request_sent_upstream_the_response_and_404s_when_missing()
    {
        var list = await traffic.GetJsonAsync("/monitor/invocations?status=success&model=gpt-test");
        var items = list["items"]!.AsArray();
        var stream = await traffic.GetJsonAsync($"/monitor/invocations/{Long(items[0]!, "id")}");
        var plain = await traffic.GetJsonAsync($"/monitor/invocations/{Long(items[1]!, "id")}");

        Assert.Equal("one two three four", Str(stream, "response"));
        var sentStream = traffic.Fake.Requests.Single(r => r.Body.Contains("stream-usage", StringComparison.Ordinal)).Json;
        Assert.True(JsonNode.DeepEquals(sentStream, JsonNode.Parse(Str(stream, "request"))));
        var sentPlain = traffic.Fake.Requests.Single(r => r.Body.Contains("\"plain\"", StringComparison.Ordinal)).Json;
        Assert.True(JsonNode.DeepEquals(sentPlain, JsonNode.Parse(Str(plain, "request"))));
        var answer = JsonNode.Parse(Str(plain, "response"))!;
        Assert.Equal("Hello from the fake upstream", answer["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal((11, 5), (answer["usage"]!["prompt_tokens"]!.GetValue<int>(), answer["usage"]!["completion_tokens"]!.GetValue<int>()));

        using var missing = await traffic.Router.Http.GetAsync("/monitor/invocations/999999");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var error = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("invalid_request_error", "not_found", "id"), (Str(error, "type"), Str(error, "code"), Str(error, "param")));
        using var bad = await traffic.Router.Http.GetAsync("/monitor/invocations/abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid_value", Str(JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error"]!, "code"));
    }

    [Fact]
    public async Task Statistics_add_up_exactly()
    {
        var stats = await traffic.GetJsonAsync("/monitor/statistics?time_range_hours=1&limit=10");

        Assert.Equal(1, Int(stats, "time_range_hours"));
        Assert.Equal((6, 4, 1, 1), (Int(stats, "total_requests"), Int(stats, "successful_requests"), Int(stats, "failed_requests"), Int(stats, "client_closed_requests")));
        Assert.Equal((45, 17, 62), (Int(stats, "total_prompt_tokens"), Int(stats, "total_completion_tokens"), Int(stats, "total_tokens")));
        Assert.Equal(MonitoredTraffic.TotalCost, stats["total_cost"]!.GetValue<decimal>());
        Assert.Equal(1.0 / 6, stats["error_rate"]!.GetValue<double>(), 12);
        var latencies = (await traffic.GetJsonAsync("/monitor/invocations")).AsObject()["items"]!.AsArray().Select(i => Long(i!, "latency_ms")).ToList();
        Assert.Equal(latencies.Average(), stats["avg_latency_ms"]!.GetValue<double>(), 9);

        var byModel = stats["by_model"]!.AsArray();
        Assert.Equal(2, byModel.Count);
        AssertGroup(byModel[0]!, "fake/gpt-test", requests: 4, errors: 1, prompt: 23, completion: 10, MonitoredTraffic.GptTestCost);
        Assert.Equal(("fake", "gpt-test"), (Str(byModel[0]!, "provider"), Str(byModel[0]!, "model")));
        Assert.Equal(0.25, byModel[0]!["error_rate"]!.GetValue<double>(), 12);
        AssertGroup(byModel[1]!, "other/small", requests: 2, errors: 0, prompt: 22, completion: 7, MonitoredTraffic.SmallCost);
        var byProvider = stats["by_provider"]!.AsArray();
        AssertGroup(byProvider[0]!, "fake", 4, 1, 23, 10, MonitoredTraffic.GptTestCost);
        AssertGroup(byProvider[1]!, "other", 2, 0, 22, 7, MonitoredTraffic.SmallCost);
        var byKey = Assert.Single(stats["by_api_key"]!.AsArray())!;
        AssertGroup(byKey, null, 6, 1, 45, 17, MonitoredTraffic.TotalCost);

        var top = await traffic.GetJsonAsync("/monitor/statistics?limit=1");
        Assert.Equal("fake/gpt-test", Str(Assert.Single(top["by_model"]!.AsArray())!, "key"));
        Assert.Equal(24, Int(top, "time_range_hours"));
    }

    [Theory]
    [InlineData("hour", 3_600)]
    [InlineData("day", 86_400)]
    [InlineData("week", 0)]
    [InlineData("month", 0)]
    public async Task Time_series_buckets_add_up_to_the_totals_per_group(string granularity, int seconds)
    {
        var start = Iso(traffic.Began.AddDays(-40));
        var end = Iso(traffic.Ended.AddDays(1));
        var series = await traffic.GetJsonAsync($"/monitor/time-series?granularity={granularity}&group_by=model&start={start}&end={end}");

        Assert.Equal((granularity, "model"), (Str(series, "granularity"), Str(series, "group_by")));
        var buckets = series["buckets"]!.AsArray().Select(b => b!.AsObject()).ToList();
        Assert.InRange(buckets.Count, 1, 2); // two only when the traffic straddled a boundary
        Assert.Equal(6, buckets.Sum(b => Long(b, "requests")));
        Assert.Equal(62, buckets.Sum(b => Long(b, "total_tokens")));
        Assert.Equal(MonitoredTraffic.TotalCost, buckets.Sum(b => b["cost"]!.GetValue<decimal>()));
        var groups = buckets.SelectMany(b => b["groups"]!.AsArray().Select(g => g!)).GroupBy(g => Str(g, "key")).ToDictionary(
            g => g.Key, g => (Requests: g.Sum(x => Long(x, "requests")), Tokens: g.Sum(x => Long(x, "total_tokens")), Cost: g.Sum(x => x["cost"]!.GetValue<decimal>())));
        Assert.Equal((4L, 33L, MonitoredTraffic.GptTestCost), groups["fake/gpt-test"]);
        Assert.Equal((2L, 29L, MonitoredTraffic.SmallCost), groups["other/small"]);
        foreach (var bucket in buckets)
        {
            var at = DateTimeOffset.Parse(Str(bucket, "start"), CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.Zero, at.Offset);
            Assert.True(at <= traffic.Ended);
            switch (granularity)
            {
                case "week":
                    Assert.Equal((DayOfWeek.Monday, TimeSpan.Zero), (at.DayOfWeek, at.TimeOfDay));
                    break;
                case "month":
                    Assert.Equal((1, TimeSpan.Zero), (at.Day, at.TimeOfDay));
                    break;
                default:
                    Assert.Equal(0, at.ToUnixTimeSeconds() % seconds);
                    break;
            }
            Assert.Equal(Long(bucket, "requests"), bucket["groups"]!.AsArray().Sum(g => Long(g!, "requests")));
        }
    }

    [Fact]
    public async Task Time_series_groups_by_provider_and_defaults_to_ungrouped_days()
    {
        var around = $"start={Iso(traffic.Began.AddDays(-1))}&end={Iso(traffic.Ended.AddDays(1))}";
        var byProvider = await traffic.GetJsonAsync($"/monitor/time-series?granularity=hour&group_by=provider&{around}");
        var providers = byProvider["buckets"]!.AsArray().SelectMany(b => b!["groups"]!.AsArray()).GroupBy(g => Str(g!, "key"))
            .ToDictionary(g => g.Key, g => g.Sum(x => Long(x!, "requests")));
        Assert.Equal(new Dictionary<string, long> { ["fake"] = 4, ["other"] = 2 }, providers);

        var plain = await traffic.GetJsonAsync("/monitor/time-series");
        Assert.Equal("day", Str(plain, "granularity"));
        Assert.Null(plain["group_by"]);
        Assert.Equal(6, plain["buckets"]!.AsArray().Sum(b => Long(b!, "requests")));
        Assert.All(plain["buckets"]!.AsArray(), b => Assert.Empty(b!["groups"]!.AsArray()));
    }

    [Theory]
    [InlineData("/monitor/time-series?granularity=minute", "granularity")]
    [InlineData("/monitor/time-series?group_by=colour", "group_by")]
    [InlineData("/monitor/time-series?start=2025-01-02&end=2025-01-01", "start")]
    [InlineData("/monitor/time-series?granularity=hour&start=2000-01-01&end=2025-01-01", "start")]
    [InlineData("/monitor/invocations?limit=0", "limit")]
    [InlineData("/monitor/invocations?offset=-1", "offset")]
    [InlineData("/monitor/invocations?status=finished", "status")]
    [InlineData("/monitor/invocations?start=yesterday", "start")]
    [InlineData("/monitor/statistics?time_range_hours=0", "time_range_hours")]
    [InlineData("/cost/daily?days=0", "days")]
    [InlineData("/cost/by-model?limit=x", "limit")]
    [InlineData("/cost/daily?start=2000-01-01&end=2100-01-01", "start")]
    public async Task Bad_parameters_get_a_400_in_the_openai_shape(string path, string param)
    {
        using var response = await traffic.Router.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("invalid_request_error", "invalid_value", param), (Str(error, "type"), Str(error, "code"), Str(error, "param")));
    }

    [Fact]
    public async Task Cost_endpoints_report_exact_spend()
    {
        var current = await traffic.GetJsonAsync("/cost/current");
        Assert.Equal("USD", Str(current, "currency"));
        AssertPeriod(current["total"]!, 6, 45, 17, MonitoredTraffic.TotalCost);
        if (traffic.Began.UtcDateTime.Date == DateTime.UtcNow.Date)
        {
            AssertPeriod(current["today"]!, 6, 45, 17, MonitoredTraffic.TotalCost);
            AssertPeriod(current["this_month"]!, 6, 45, 17, MonitoredTraffic.TotalCost);
        }

        var daily = await traffic.GetJsonAsync("/cost/daily?days=3");
        var days = daily["days"]!.AsArray().Select(d => d!).ToList();
        Assert.Equal(3, days.Count);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Str(days[^1], "date"));
        Assert.Equal(MonitoredTraffic.TotalCost, days.Sum(d => d["cost"]!.GetValue<decimal>()));
        Assert.Equal(MonitoredTraffic.TotalCost, daily["total_cost"]!.GetValue<decimal>());
        Assert.Equal(6, days.Sum(d => Long(d, "requests")));

        var summary = await traffic.GetJsonAsync("/cost/summary?days=10");
        Assert.Equal((6, 45, 17, 62), (Int(summary, "total_requests"), Int(summary, "total_prompt_tokens"), Int(summary, "total_completion_tokens"), Int(summary, "total_tokens")));
        Assert.Equal(MonitoredTraffic.TotalCost, summary["total_cost"]!.GetValue<decimal>());
        Assert.Equal(10, Int(summary, "days"));
        Assert.Equal(MonitoredTraffic.TotalCost / 10, summary["average_daily_cost"]!.GetValue<decimal>());
        Assert.Equal(["fake", "other"], summary["by_provider"]!.AsArray().Select(p => Str(p!, "key")));

        var byModel = await traffic.GetJsonAsync("/cost/by-model?" + Wide);
        Assert.Equal(MonitoredTraffic.TotalCost, byModel["total_cost"]!.GetValue<decimal>());
        var models = byModel["items"]!.AsArray();
        AssertGroup(models[0]!, "fake/gpt-test", 4, 1, 23, 10, MonitoredTraffic.GptTestCost);
        AssertGroup(models[1]!, "other/small", 2, 0, 22, 7, MonitoredTraffic.SmallCost);

        var byUser = await traffic.GetJsonAsync("/cost/by-user");
        AssertGroup(Assert.Single(byUser["items"]!.AsArray())!, null, 6, 1, 45, 17, MonitoredTraffic.TotalCost);

        var empty = await traffic.GetJsonAsync("/cost/by-model?start=2001-01-01&end=2001-02-01");
        Assert.Empty(empty["items"]!.AsArray());
        Assert.Equal(0m, empty["total_cost"]!.GetValue<decimal>());
    }

    internal static void AssertGroup(JsonNode group, string? key, long requests, long errors, long prompt, long completion, decimal cost)
    {
        Assert.Equal(key, group["key"]?.GetValue<string>());
        Assert.Equal((requests, errors, prompt, completion, prompt + completion), (Long(group, "requests"), Long(group, "errors"),
            Long(group, "prompt_tokens"), Long(group, "completion_tokens"), Long(group, "total_tokens")));
        Assert.Equal(cost, group["cost"]!.GetValue<decimal>());
    }

    private static void AssertPeriod(JsonNode period, long requests, long prompt, long completion, decimal cost)
    {
        Assert.Equal((requests, prompt, completion, prompt + completion),
            (Long(period, "requests"), Long(period, "prompt_tokens"), Long(period, "completion_tokens"), Long(period, "total_tokens")));
        Assert.Equal(cost, period["cost"]!.GetValue<decimal>());
    }

    internal static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));

    internal static string Str(JsonNode node, string name) => node[name]!.GetValue<string>();

    internal static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();

    internal static long Long(JsonNode node, string name) => node[name]!.GetValue<long>();
}
