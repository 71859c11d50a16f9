using System.Net;
using System.Text;
using LlmRouter.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LlmRouter.Cluster.Tests;

/// <summary>
/// An <c>api</c> front-end process joins the cluster as an Orleans client: it is no silo in the membership table, and
/// the calls it serves share one window with the calls the silos serve (the window counts them together, exactly).
/// On the embedded store it refuses to start. It hosts no silo, so it has no Orleans dashboard to serve, even when
/// the dashboard is turned on.
/// </summary>
public sealed class FrontEndTests(ITestOutputHelper output) : IRequiresPostgres
{
    [StoreFact]
    public async Task An_api_front_end_and_two_silos_admit_exactly_the_window_together()
    {
        using var directory = new TempDirectory();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var config = directory.File("router.toml");
        await File.WriteAllTextAsync(config, $"""
            [[providers]]
            name = "fake"
            type = "openai"
            base_url = "{fake.BaseUrl.ToString().TrimEnd('/')}"

            [[models]]
            name = "limited"
            provider = "fake"
            [models.rate_limit]
            max_requests = 30
            per_seconds = 3600
            """);
        using var nodes = new NodeGroup(directory.Path, config, database.Url, output);
        await nodes.RunAsync(async () =>
        {
            var front = new[] { await nodes.StartAsync("silo-1", "silo"), await nodes.StartAsync("silo-2", "silo"), await nodes.StartAsync("api-1", "api", ("LLM_ROUTER_DASHBOARD", "true")) };
            Assert.Equal(["silo-1", "silo-2"], await ClusterDatabase.ActiveSilosAsync(database.Url, expected: 2));

            var clients = front.Select(n => new HttpClient { BaseAddress = n.BaseUrl, Timeout = TimeSpan.FromSeconds(60) }).ToArray();
            // The front-end's first ten calls take ten of the window's 30 ...
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await ChatAsync(clients[2]));
            }
            // ... so of 60 more, a third through each node, interleaved, exactly 20 are admitted.
            var statuses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => ChatAsync(clients[i % 3])));
            output.WriteLine($"200: {statuses.Count(s => s == HttpStatusCode.OK)}, through api-1: {statuses.Where((_, i) => i % 3 == 2).Count(s => s == HttpStatusCode.OK)}");
            Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.Equal(40, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
            Assert.Equal(30, fake.Requests.Count);
            foreach (var client in clients)
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, await ChatAsync(client));
            }
            Assert.Equal(30, await ClusterDatabase.LoggedAsync(database.Url, "fake", "limited", expected: 30));
            Assert.Equal(HttpStatusCode.NotFound, (await clients[2].GetAsync("/dashboard/")).StatusCode);
        });
    }

    [Fact]
    public async Task An_api_front_end_on_the_embedded_store_says_why_and_exits_2()
    {
        using var directory = new TempDirectory();
        using var node = new ChildProcess("api-embedded", "dotnet", [RepositoryPaths.SiloDll], directory.Path, new Dictionary<string, string>
        {
            ["LLM_ROUTER_ROLES"] = "api",
            ["LLM_ROUTER_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.Equal(2, await node.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        var lines = node.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Contains("role 'api'", line, StringComparison.Ordinal);
        Assert.Contains("LLM_ROUTER_DATABASE_URL=postgresql://", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(directory.Path, "llm_router.db")), "a refused front-end must not create the embedded store");
    }

    private static async Task<HttpStatusCode> ChatAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"fake/limited","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        await response.Content.ReadAsStringAsync();
        return response.StatusCode;
    }
}
