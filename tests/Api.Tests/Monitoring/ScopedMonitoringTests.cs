using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;
using static LlmRouter.Api.Tests.Monitoring.MonitorApiTests;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>
/// Monitoring and cost scoped to the caller (issue 15 item 1): an admin key and a local caller under the localhost rule
/// see every key's calls; a user key sees only its own, on every /monitor and /cost endpoint, and cannot widen that
/// with the api_key filter.
/// </summary>
public sealed class ScopedMonitoringTests(ScopedTraffic traffic) : IClassFixture<ScopedTraffic>
{
    [Theory]
    [InlineData(ScopedTraffic.AliceKey, "alice")]
    [InlineData(ScopedTraffic.BobKey, "bob")]
    public async Task A_user_key_lists_only_its_own_invocations(string key, string name)
    {
        var list = await traffic.GetAsync("/monitor/invocations", key);

        var items = list["items"]!.AsArray();
        Assert.Equal(traffic.CallsBy(name), Long(list, "total"));
        Assert.Equal(traffic.CallsBy(name), items.Count);
        Assert.All(items, i => Assert.Equal(name, Str(i!, "api_key_name")));
    }

    [Fact]
    public async Task An_admin_key_and_a_local_caller_list_every_keys_invocations()
    {
        var admin = await traffic.GetAsync("/monitor/invocations", AdminKey);
        var local = await traffic.GetAsync("/monitor/invocations", null);

        Assert.Equal(ScopedTraffic.TotalCalls, Long(admin, "total"));
        Assert.Equal(ScopedTraffic.TotalCalls, Long(local, "total"));
        Assert.Equal(["admin", "alice", "bob"], admin["items"]!.AsArray().Select(i => Str(i!, "api_key_name")).Distinct().Order());
    }

    [Fact]
    public async Task A_user_key_gets_404_for_another_keys_invocation_and_its_own_in_full()
    {
        var bobs = traffic.IdsBy("bob")[0];
        var alices = traffic.IdsBy("alice")[0];

        var refused = await SendAsync(traffic.Router, HttpMethod.Get, $"/monitor/invocations/{bobs}", credential: ScopedTraffic.AliceKey);
        var error = AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", refused);
        Assert.Equal("id", Str(error, "param"));
        Assert.DoesNotContain("bob", refused.Body!.ToJsonString(), StringComparison.Ordinal);

        var own = await traffic.GetAsync($"/monitor/invocations/{alices}", ScopedTraffic.AliceKey);
        Assert.Contains("alice-call", Str(own, "request"), StringComparison.Ordinal);
        var asAdmin = await traffic.GetAsync($"/monitor/invocations/{bobs}", AdminKey);
        Assert.Contains("bob-call", Str(asAdmin, "request"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_key_filter_cannot_widen_a_user_keys_view()
    {
        var widened = await SendAsync(traffic.Router, HttpMethod.Get, "/monitor/invocations?api_key=bob", credential: ScopedTraffic.AliceKey);
        var error = AssertError(HttpStatusCode.Forbidden, "permission_error", "api_key_not_allowed", widened);
        Assert.Equal("api_key", Str(error, "param"));
        var byId = await SendAsync(traffic.Router, HttpMethod.Get, $"/monitor/invocations?api_key={traffic.KeyId("bob")}", credential: ScopedTraffic.AliceKey);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "api_key_not_allowed", byId);

        // Naming itself, by name or id, is allowed; so is a key sent as ?api_key= (the credential, not a filter).
        Assert.Equal(traffic.CallsBy("alice"), Long(await traffic.GetAsync("/monitor/invocations?api_key=alice", ScopedTraffic.AliceKey), "total"));
        Assert.Equal(traffic.CallsBy("alice"), Long(await traffic.GetAsync($"/monitor/invocations?api_key={traffic.KeyId("alice")}", ScopedTraffic.AliceKey), "total"));
        var (status, body, _) = await SendAsync(traffic.Router, HttpMethod.Get, "/monitor/invocations", credential: ScopedTraffic.AliceKey, place: CredentialPlace.Query);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(traffic.CallsBy("alice"), Long(body!, "total"));

        // An admin may filter by any key.
        Assert.Equal(traffic.CallsBy("bob"), Long(await traffic.GetAsync("/monitor/invocations?api_key=bob", AdminKey), "total"));
    }

    [Fact]
    public async Task A_session_of_a_user_key_sees_only_that_keys_invocations()
    {
        var token = await LoginAsync(traffic.Router, ScopedTraffic.BobKey);

        var list = await traffic.GetAsync("/monitor/invocations", token);

        Assert.Equal(traffic.CallsBy("bob"), Long(list, "total"));
        var statistics = await traffic.GetAsync("/monitor/statistics", token);
        Assert.Equal(traffic.CallsBy("bob"), Long(statistics, "total_requests"));
    }

    [Theory]
    [InlineData(ScopedTraffic.AliceKey, "alice")]
    [InlineData(ScopedTraffic.BobKey, "bob")]
    [InlineData(AdminKey, null)]
    [InlineData(null, null)]
    public async Task Statistics_time_series_and_cost_count_only_what_the_caller_may_see(string? key, string? name)
    {
        var requests = name is null ? ScopedTraffic.TotalCalls : traffic.CallsBy(name);
        var cost = name is null ? traffic.Calls.Sum(c => c.Cost) : traffic.Calls.Where(c => c.Key == name).Sum(c => c.Cost);
        string[] keys = name is null ? ["admin", "alice", "bob"] : [name];

        var statistics = await traffic.GetAsync("/monitor/statistics", key);
        Assert.Equal(requests, Long(statistics, "total_requests"));
        Assert.Equal(cost, statistics["total_cost"]!.GetValue<decimal>());
        Assert.Equal(keys, Names(statistics["by_api_key"]!));
        Assert.Equal(requests, statistics["by_model"]!.AsArray().Sum(g => Long(g!, "requests")));

        var series = await traffic.GetAsync("/monitor/time-series?granularity=day&group_by=api_key", key);
        var buckets = series["buckets"]!.AsArray();
        Assert.Equal(requests, buckets.Sum(b => Long(b!, "requests")));
        Assert.Equal(keys, buckets.SelectMany(b => b!["groups"]!.AsArray()).Select(g => Str(g!, "key")).Distinct().Order());

        var current = await traffic.GetAsync("/cost/current", key);
        Assert.Equal(requests, Long(current["total"]!, "requests"));
        Assert.Equal(requests, Long(current["today"]!, "requests"));
        Assert.Equal(cost, current["this_month"]!["cost"]!.GetValue<decimal>());

        var daily = await traffic.GetAsync("/cost/daily?days=2", key);
        Assert.Equal(cost, daily["total_cost"]!.GetValue<decimal>());
        Assert.Equal(requests, daily["days"]!.AsArray().Sum(d => Long(d!, "requests")));

        var summary = await traffic.GetAsync("/cost/summary?days=2", key);
        Assert.Equal(requests, Long(summary, "total_requests"));
        Assert.Equal(cost, summary["total_cost"]!.GetValue<decimal>());

        var byModel = await traffic.GetAsync("/cost/by-model?days=2", key);
        Assert.Equal(requests, byModel["items"]!.AsArray().Sum(g => Long(g!, "requests")));
        Assert.Equal(cost, byModel["total_cost"]!.GetValue<decimal>());

        var byUser = await traffic.GetAsync("/cost/by-user?days=2", key);
        Assert.Equal(keys, Names(byUser["items"]!));
        Assert.Equal(cost, byUser["total_cost"]!.GetValue<decimal>());
    }

    private static string[] Names(JsonNode groups) => groups.AsArray().Select(g => Str(g!, "key")).Order().ToArray();
}
