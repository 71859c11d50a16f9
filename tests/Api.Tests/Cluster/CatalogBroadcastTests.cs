using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Tests.Shared;

namespace LlmRouter.Api.Tests.Cluster;

/// <summary>
/// Two nodes of one cluster (on one PostgreSQL): a model created over REST on one node is served by the other within a second, because
/// the change is announced on the cluster's change feed grain, which every node polls every 250 ms (no store is polled).
/// </summary>
public sealed class CatalogBroadcastTests(PostgresDatabaseFixture fixture) : IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    [StoreFact]
    public async Task A_model_created_on_one_node_is_listed_by_the_other_within_a_second()
    {
        await fixture.GetAsync();
        var environment = new Dictionary<string, string> { ["LLM_ROUTER_DATABASE_URL"] = await fixture.UrlAsync(), ["FAKE_UPSTREAM_KEY"] = "sk-upstream" };
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var toml = RouterHarness.Toml(fake.BaseUrl);
        await using var nodeA = await RouterHarness.StartAsync(toml, environment);
        await using var nodeB = await RouterHarness.StartAsync(toml, environment);

        // Three changes in a row: a poll landing by chance inside the second after each of them cannot explain all three.
        for (var i = 0; i < 3; i++)
        {
            var name = $"rest-{i}-{Guid.NewGuid():N}"[..20];
            using var created = await nodeA.Http.PostAsync("/models", new StringContent($$"""{"name":"{{name}}","provider":"fake"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var clock = Stopwatch.StartNew();
            var listed = false;
            while (!listed && clock.Elapsed < TimeSpan.FromSeconds(1))
            {
                var models = JsonNode.Parse(await nodeB.Http.GetStringAsync("/v1/models"))!["data"]!.AsArray();
                listed = models.Any(m => m!["id"]!.GetValue<string>() == "fake/" + name);
                if (!listed)
                {
                    await Task.Delay(25);
                }
            }
            Assert.True(listed, $"node B did not list fake/{name} within a second of its creation on node A");
        }
    }

    [StoreFact]
    public async Task A_model_added_on_one_node_reaches_another_node_sharing_the_store()
    {
        await fixture.GetAsync();
        var database = ("LLM_ROUTER_DATABASE_URL", await fixture.UrlAsync());
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var first = await RouterHarness.StartAsync(AccessKit.Toml(fake.BaseUrl), AccessKit.Environment(database));
        await using var second = await RouterHarness.StartAsync(AccessKit.Toml(fake.BaseUrl), AccessKit.Environment(database));

        var created = await AccessKit.PostAsync(first, "/models", """{"name":"late","provider":"fake","tags":["late"]}""", AccessKit.AdminKey);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        JsonArray seen;
        do
        {
            await Task.Delay(200);
            seen = (await AccessKit.SendAsync(second, HttpMethod.Get, "/models?tag=late", credential: AccessKit.UserKey)).Body!.AsArray();
        }
        while (seen.Count == 0 && DateTimeOffset.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("fake/late", Assert.Single(seen)!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await AccessKit.PostAsync(second, "/v1/chat/completions", AccessKit.ChatBody("fake/late"), AccessKit.UserKey)).Status);
    }
}
