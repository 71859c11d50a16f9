using System.Diagnostics;
using System.Net;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Tests.Shared;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Cluster;

/// <summary>
/// Two nodes of one cluster (on one PostgreSQL) share one guessing window per client address: guesses spread over
/// both fill it, and the lockout reaches the node that did not see the last guess before it answers a valid key.
/// </summary>
public sealed class ClusterLockoutTests(PostgresDatabaseFixture fixture) : IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    [StoreFact]
    public async Task Guesses_spread_over_two_nodes_lock_the_address_out_on_both()
    {
        await fixture.GetAsync();
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var environment = Environment(("LLM_ROUTER_DATABASE_URL", await fixture.UrlAsync()), ("LLM_ROUTER_TRUSTED_PROXIES", "127.0.0.1"));
        await using var nodeA = await RouterHarness.StartAsync(Toml(fake.BaseUrl), environment);
        await using var nodeB = await RouterHarness.StartAsync(Toml(fake.BaseUrl), environment);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await ModelsAsync(i % 2 == 0 ? nodeA : nodeB, $"sk-guess-{i:D4}-0000000000", "198.51.100.7")).Status);
        }
        // The tenth guess went to node B; node A learns the lockout from the cluster within a poll of the change feed.
        var clock = Stopwatch.StartNew();
        var onA = await ModelsAsync(nodeA, UserKey, "198.51.100.7");
        while (onA.Status != HttpStatusCode.TooManyRequests && clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            Assert.Equal(HttpStatusCode.OK, onA.Status);
            await Task.Delay(50);
            onA = await ModelsAsync(nodeA, UserKey, "198.51.100.7");
        }
        var onB = await ModelsAsync(nodeB, UserKey, "198.51.100.7");
        var elsewhere = await ModelsAsync(nodeA, UserKey, "198.51.100.8");

        foreach (var refused in new[] { onA, onB })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            Assert.Equal("too_many_invalid_credentials", refused.Body!["error"]!["code"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.OK, elsewhere.Status);
    }

    private static Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body, HttpResponseMessage Response)> ModelsAsync(RouterHarness router, string key, string client) =>
        SendAsync(router, HttpMethod.Get, "/v1/models", credential: key, remote: false, headers: [("X-Forwarded-For", client)]);
}
