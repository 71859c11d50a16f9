using System.Diagnostics;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Tests.Shared;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>
/// Two nodes of one cluster (on one PostgreSQL): least_busy on one node counts the calls in flight on the other, which
/// reach it through the routing load grain within about half a second.
/// </summary>
public sealed class ClusterBalancingTests(PostgresDatabaseFixture fixture) : IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    [StoreFact]
    public async Task Least_busy_on_one_node_avoids_a_member_busy_on_the_other()
    {
        await fixture.GetAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = RoutingKit.ByModel(new()
        {
            ["a"] = (http, request) => request.Json["stream"]?.GetValue<bool>() == true
                ? FakeOpenAiUpstream.StreamAsync(http, "a", ["held", " open"], includeUsage: true, between: i => i == 0 ? release.Task : Task.CompletedTask)
                : FakeOpenAiUpstream.WriteCompletionAsync(http, "a", "from a"),
        });
        var toml = RoutingKit.Toml(fake.BaseUrl, ["a", "b"], """
            [[model_groups]]
            name = "pool"
            strategy = "least_busy"
            members = [{ model = "fake/a" }, { model = "fake/b" }]
            """);
        var database = ("LLM_ROUTER_DATABASE_URL", await fixture.UrlAsync());
        await using var nodeA = await RouterHarness.StartAsync(toml, RoutingKit.Environment(database, ("LLM_ROUTER_NODE_ID", "node-a")));
        await using var nodeB = await RouterHarness.StartAsync(toml, RoutingKit.Environment(database, ("LLM_ROUTER_NODE_ID", "node-b")));

        // A stream to fake/a on node A stays open after its first chunk.
        var held = RoutingKit.Chat(nodeA, "fake/a").CompleteChatStreamingAsync([new UserChatMessage("hold")]).GetAsyncEnumerator();
        Assert.True(await held.MoveNextAsync());
        var clock = Stopwatch.StartNew();
        while (await InFlightAsync(nodeB, "fake/a") == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "node B did not see node A's call in flight within 2 s");
            await Task.Delay(25);
        }
        var busy = new[] { await RoutingKit.AskAsync(nodeB, "pool"), await RoutingKit.AskAsync(nodeB, "pool") };
        release.SetResult();
        while (await held.MoveNextAsync())
        {
        }
        await held.DisposeAsync();

        Assert.Equal(["from b", "from b"], busy);
    }

    private static async Task<int> InFlightAsync(RouterHarness router, string model)
    {
        var (_, metrics, _) = await RoutingKit.LocalAsync(router, HttpMethod.Get, "/router/metrics");
        return metrics!["models"]!.AsArray().Single(m => m!["model"]!.GetValue<string>() == model)!["in_flight"]!.GetValue<int>();
    }
}
