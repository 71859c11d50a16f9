using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Tests.Shared;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>
/// Two nodes of one Orleans cluster (on one PostgreSQL): the router toggle (its grain) and REST rules (announced on the
/// change feed) changed on one take effect on the other.
/// </summary>
public sealed class ClusterToggleTests(PostgresDatabaseFixture fixture) : IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private FakeOpenAiUpstream _fake = null!;
    private RouterHarness _first = null!;
    private RouterHarness _second = null!;

    public async Task InitializeAsync()
    {
        await fixture.GetAsync();
        _fake = await FakeOpenAiUpstream.StartAsync();
        _fake.Handler = RoutingKit.ByModel([]);
        var toml = RoutingKit.Toml(_fake.BaseUrl, ["a", "b", "c"], """
            [routing]
            toggle_delay_seconds = 3
            toggle_cooldown_seconds = 600

            [[routing_rules]]
            name = "a-to-b"
            conditions = { models = ["fake/a"] }
            action = { use_model = "fake/b" }
            """);
        var database = ("LLM_ROUTER_DATABASE_URL", await fixture.UrlAsync());
        _first = await RouterHarness.StartAsync(toml, RoutingKit.Environment(database, ("LLM_ROUTER_NODE_ID", "node-1")));
        _second = await RouterHarness.StartAsync(toml, RoutingKit.Environment(database, ("LLM_ROUTER_NODE_ID", "node-2")));
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [StoreFact]
    public async Task A_toggle_on_one_node_takes_effect_on_the_other_at_the_same_instant()
    {
        var (status, body, _) = await RoutingKit.AsKeyAsync(_first, RoutingKit.AdminKey, HttpMethod.Post, "/router/toggle", """{"value": false, "reason": "cluster maintenance"}""");
        var seen = (await RoutingKit.AsKeyAsync(_second, RoutingKit.AdminKey, HttpMethod.Get, "/router/status")).Body!;
        var before = await RoutingKit.AskAsync(_second, "fake/a");
        var tooSoon = await RoutingKit.AsKeyAsync(_second, RoutingKit.AdminKey, HttpMethod.Post, "/router/toggle", """{"value": true}""");
        await RoutingKit.WaitEnabledAsync(_second, false);
        var after = await RoutingKit.AskAsync(_second, "fake/a");
        var history = (await RoutingKit.AsKeyAsync(_second, RoutingKit.AdminKey, HttpMethod.Get, "/router/history")).Body!;

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.True(seen["pending"]!.GetValue<bool>());
        Assert.Equal("node-1", seen["node"]!.GetValue<string>());
        Assert.Equal(body!["status"]!["effective_at"]!.GetValue<DateTimeOffset>(), seen["effective_at"]!.GetValue<DateTimeOffset>());
        Assert.Equal("from b", before);
        AccessKit.AssertError(HttpStatusCode.Conflict, "invalid_request_error", "toggle_cooldown", tooSoon);
        Assert.Equal("from a", after);
        var entry = Assert.Single(history["items"]!.AsArray())!;
        Assert.Equal(("cluster maintenance", "node-1"), (entry["reason"]!.GetValue<string>(), entry["node"]!.GetValue<string>()));
        Assert.False((await RoutingKit.AsKeyAsync(_first, RoutingKit.UserKey, HttpMethod.Get, "/router/status")).Body!["enabled"]!.GetValue<bool>());
    }

    [StoreFact]
    public async Task A_rule_defined_on_one_node_routes_on_the_other()
    {
        var created = await RoutingKit.AsKeyAsync(_first, RoutingKit.AdminKey, HttpMethod.Post, "/router/rules",
            """{"name": "c-please", "priority": 1, "conditions": {"regex": "(?i)\\bc please\\b"}, "action": {"use_model": "fake/c"}}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);

        var answer = "";
        for (var i = 0; i < 100 && answer != "from c"; i++)
        {
            var listed = (await RoutingKit.LocalAsync(_second, HttpMethod.Get, "/router/rules")).Body!.AsArray();
            if (listed.Any(r => r!["name"]!.GetValue<string>() == "c-please"))
            {
                answer = await RoutingKit.AskAsync(_second, "fake/a", "C please");
            }
            else
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal("from c", answer);
        var row = (await _second.InvocationsAsync())[0];
        Assert.Equal(("c-please", "node-2"), (row.Rule, row.Node));
    }
}
