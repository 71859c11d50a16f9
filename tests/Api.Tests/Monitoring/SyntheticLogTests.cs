using System.Globalization;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Api.Tests.Monitoring.MonitorApiTests;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>
/// Aggregates over invocations at chosen instants (bucket edges, API keys, nano-dollar costs), written through the node's
/// invocation log and read back over HTTP.
/// </summary>
public sealed class SyntheticLogTests : IAsyncLifetime
{
    private const string March = "start=2025-03-01T00:00:00Z&end=2025-05-01T00:00:00Z";
    private const int Many = 1000;

    private FakeOpenAiUpstream _fake = null!;
    private RouterHarness _router = null!;
    private long _firstId;

    public async Task InitializeAsync()
    {
        _fake = await FakeOpenAiUpstream.StartAsync();
        _router = await RouterHarness.StartAsync(RouterHarness.Toml(_fake.BaseUrl));
        var log = _router.Services.GetRequiredService<IInvocationLog>();
        _ = log.Append(Record("2025-03-02T23:59:59.999Z", "fake", "gpt-test", "k1", "team-a", 0.000000001m, 10, 20) with { Group = "fast-group", Rule = "code-rule" });
        _ = log.Append(Record("2025-03-03T00:00:00.000Z", "fake", "gpt-test", "k2", "team-b", 1.5m, 1, 2) with { Status = InvocationStatus.Error });
        _ = log.Append(Record("2025-03-31T23:30:00.000Z", "other", "small", null, null, 0.25m, 3, 4));
        _ = log.Append(Record("2025-04-01T00:00:00.000Z", "other", "small", "k1", "team-a", 0.000000002m, 5, 6) with { Status = InvocationStatus.ClientClosed });
        _ = log.Append(Record("2025-04-01T00:59:59.999Z", "fake", "gpt-test", "k1", "team-a", 2m, 7, 8));
        for (var i = 0; i < Many; i++)
        {
            _ = log.Append(Record("2025-04-02T12:00:00.000Z", "fake", "gpt-test", "k2", "team-b", 0.000000001m, 1, 1));
        }
        var now = DateTimeOffset.UtcNow;
        _ = log.Append(Record(now.AddMinutes(-30), "fake", "gpt-test", "k1", "team-a", 0.1m, 100, 50));
        _ = log.Append(Record(now.AddMinutes(-30), "other", "small", null, null, 0.2m, 10, 5));
        _ = log.Append(Record(now.AddHours(-2), "fake", "gpt-test", "k2", "team-b", 9m, 1, 1));
        await log.FlushAsync();
        _firstId = (await log.ListAsync(new InvocationQuery { Limit = 1, Start = DateTimeOffset.Parse("2025-03-02T00:00:00Z", CultureInfo.InvariantCulture), End = DateTimeOffset.Parse("2025-03-03T00:00:00Z", CultureInfo.InvariantCulture) })).Items[0].Id;
    }

    [Theory]
    [InlineData("hour", "2025-03-02T23:00:00Z=1", "2025-03-03T00:00:00Z=1", "2025-03-31T23:00:00Z=1", "2025-04-01T00:00:00Z=2", "2025-04-02T12:00:00Z=1000")]
    [InlineData("day", "2025-03-02T00:00:00Z=1", "2025-03-03T00:00:00Z=1", "2025-03-31T00:00:00Z=1", "2025-04-01T00:00:00Z=2", "2025-04-02T00:00:00Z=1000")]
    [InlineData("week", "2025-02-24T00:00:00Z=1", "2025-03-03T00:00:00Z=1", "2025-03-31T00:00:00Z=1003")]
    [InlineData("month", "2025-03-01T00:00:00Z=3", "2025-04-01T00:00:00Z=1002")]
    public async Task Buckets_start_on_utc_hour_day_monday_and_month_boundaries(string granularity, params string[] expected)
    {
        var series = await GetAsync($"/monitor/time-series?granularity={granularity}&start=2025-02-20T00:00:00Z&end=2025-05-01T00:00:00Z");

        var buckets = series["buckets"]!.AsArray().Select(b => $"{DateTimeOffset.Parse(Str(b!, "start"), CultureInfo.InvariantCulture).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}={Long(b!, "requests")}");
        Assert.Equal(expected, buckets);
    }

    [Fact]
    public async Task Month_buckets_sum_nano_dollar_costs_exactly_per_group()
    {
        var series = await GetAsync($"/monitor/time-series?granularity=month&group_by=api_key&{March}");

        var april = series["buckets"]!.AsArray()[1]!;
        Assert.Equal(2.000001002m, april["cost"]!.GetValue<decimal>());
        var groups = april["groups"]!.AsArray();
        Assert.Equal(["team-a", "team-b"], groups.Select(g => Str(g!, "key")));
        Assert.Equal(("k1", 2.000000002m, 2L), (Str(groups[0]!, "api_key_id"), groups[0]!["cost"]!.GetValue<decimal>(), Long(groups[0]!, "requests")));
        Assert.Equal((0.000001m, (long)Many, 2L * Many), (groups[1]!["cost"]!.GetValue<decimal>(), Long(groups[1]!, "requests"), Long(groups[1]!, "total_tokens")));
    }

    [Fact]
    public async Task Cost_by_user_groups_by_api_key_highest_spend_first()
    {
        var byUser = await GetAsync($"/cost/by-user?{March}");

        var items = byUser["items"]!.AsArray();
        AssertGroup(items[0]!, "team-a", requests: 3, errors: 0, prompt: 22, completion: 34, 2.000000003m);
        Assert.Equal(("k1", "team-a", 1L), (Str(items[0]!, "api_key_id"), Str(items[0]!, "api_key_name"), Long(items[0]!, "client_closed")));
        AssertGroup(items[1]!, "team-b", requests: Many + 1, errors: 1, prompt: Many + 1, completion: Many + 2, 1.500001m);
        AssertGroup(items[2]!, null, requests: 1, errors: 0, prompt: 3, completion: 4, 0.25m);
        Assert.False(items[2]!.AsObject().ContainsKey("api_key_id"));
        Assert.Equal(3.750001003m, byUser["total_cost"]!.GetValue<decimal>());

        var top = await GetAsync($"/cost/by-user?limit=1&{March}");
        Assert.Equal("team-a", Str(Assert.Single(top["items"]!.AsArray())!, "key"));
    }

    [Fact]
    public async Task Statistics_cover_only_the_last_hours_and_split_by_api_key()
    {
        var stats = await GetAsync("/monitor/statistics?time_range_hours=1");

        Assert.Equal((2, 110, 55), (Int(stats, "total_requests"), Int(stats, "total_prompt_tokens"), Int(stats, "total_completion_tokens")));
        Assert.Equal(0.3m, stats["total_cost"]!.GetValue<decimal>());
        var byKey = stats["by_api_key"]!.AsArray();
        // Equal request counts: the higher spend comes first.
        AssertGroup(byKey[0]!, null, 1, 0, 10, 5, 0.2m);
        AssertGroup(byKey[1]!, "team-a", 1, 0, 100, 50, 0.1m);

        var wider = await GetAsync("/monitor/statistics?time_range_hours=3");
        Assert.Equal(3, Int(wider, "total_requests"));
        Assert.Equal(9.3m, wider["total_cost"]!.GetValue<decimal>());
        Assert.Equal("team-b", Str(wider["by_api_key"]!.AsArray()[0]!, "key"));
    }

    [Fact]
    public async Task Invocations_filter_by_api_key_id_or_name_and_keep_group_and_rule()
    {
        Assert.Equal(4, Int(await GetAsync("/monitor/invocations?api_key=team-a"), "total"));
        Assert.Equal(4, Int(await GetAsync("/monitor/invocations?api_key=k1"), "total"));
        Assert.Equal(3, Int(await GetAsync($"/monitor/invocations?api_key=team-a&{March}"), "total"));
        Assert.Equal(Many + 2, Int(await GetAsync("/monitor/invocations?api_key=k2&limit=1"), "total"));

        var detail = await GetAsync($"/monitor/invocations/{_firstId}");
        Assert.Equal(("fast-group", "code-rule", "team-a", "k1"), (Str(detail, "group"), Str(detail, "rule"), Str(detail, "api_key_name"), Str(detail, "api_key_id")));
        Assert.Equal(0.000000001m, detail["cost"]!.GetValue<decimal>());
        Assert.Equal("2025-03-02T23:59:59.999Z", DateTimeOffset.Parse(Str(detail, "created_at"), CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Daily_cost_lists_every_day_of_the_range_with_zeros()
    {
        var daily = await GetAsync("/cost/daily?start=2025-03-30&end=2025-04-03");

        var days = daily["days"]!.AsArray().Select(d => (Str(d!, "date"), Long(d!, "requests"), d!["cost"]!.GetValue<decimal>())).ToList();
        Assert.Equal(
            [("2025-03-30", 0L, 0m), ("2025-03-31", 1L, 0.25m), ("2025-04-01", 2L, 2.000000002m), ("2025-04-02", (long)Many, 0.000001m)],
            days);
        Assert.Equal(2.250001002m, daily["total_cost"]!.GetValue<decimal>());

        var summary = await GetAsync("/cost/summary?start=2025-03-30&end=2025-04-03");
        Assert.Equal((4, 1003), (Int(summary, "days"), Int(summary, "total_requests")));
        Assert.Equal(2.250001002m, summary["total_cost"]!.GetValue<decimal>());
        // 2.250001002 / 4 = 0.5625002505, rounded to whole nano-dollars.
        Assert.Equal(0.562500251m, summary["average_daily_cost"]!.GetValue<decimal>());
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var response = await _router.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static InvocationRecord Record(string at, string provider, string model, string? keyId, string? keyName, decimal cost, long prompt, long completion) =>
        Record(DateTimeOffset.Parse(at, CultureInfo.InvariantCulture), provider, model, keyId, keyName, cost, prompt, completion);

    private static InvocationRecord Record(DateTimeOffset at, string provider, string model, string? keyId, string? keyName, decimal cost, long prompt, long completion) => new()
    {
        CreatedAt = at,
        ClientFormat = "openai",
        Provider = provider,
        Model = model,
        ApiKeyId = keyId,
        ApiKeyName = keyName,
        Status = InvocationStatus.Success,
        HttpStatus = 200,
        Cost = cost,
        PromptTokens = prompt,
        CompletionTokens = completion,
        LatencyMs = 100,
    };

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _fake.DisposeAsync();
    }
}
