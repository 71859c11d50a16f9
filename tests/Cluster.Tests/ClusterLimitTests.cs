using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using LlmRouter.Cluster.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace LlmRouter.Cluster.Tests;

/// <summary>
/// Three real node processes on one PostgreSQL behind nginx: a model's and a key's limits hold exactly across nodes,
/// they form one Orleans cluster (three active silos in the membership table), a node killed with SIGKILL does not
/// stop the service, and usage counters and the invocation log agree with the 200s the clients got. Killing the silo
/// that hosts a limited model's grain: the grain comes back on a survivor from its persisted window, which admits
/// nothing more once persisted, and re-admits at most what it admitted during the last persist interval.
/// </summary>
public sealed class ClusterLimitTests(ITestOutputHelper output) : IRequiresPostgres
{
    private const string Provider = "fake";
    private const string TeamKey = "sk-team-0123456789abcdef";
    private static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(1);

    [StoreFact]
    public async Task Three_nodes_behind_nginx_share_exact_limits_and_survive_a_killed_node()
    {
        using var directory = new TempDirectory();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var config = directory.File("router.toml");
        await File.WriteAllTextAsync(config, $"""
            [cluster]
            persist_interval = {PersistInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}

            [[providers]]
            name = "{Provider}"
            type = "openai"
            api_key_env = "FAKE_UPSTREAM_KEY"
            base_url = "{fake.BaseUrl.ToString().TrimEnd('/')}"

            [[models]]
            name = "limited"
            provider = "{Provider}"
            [models.rate_limit]
            max_requests = 40
            per_seconds = 3600

            [[models]]
            name = "recent"
            provider = "{Provider}"
            [models.rate_limit]
            max_requests = 30
            per_seconds = 3600

            [[models]]
            name = "open"
            provider = "{Provider}"

            [[models]]
            name = "warmup"
            provider = "{Provider}"

            [[models]]
            name = "keyed"
            provider = "{Provider}"

            [[api_keys]]
            key_env = "TEAM_KEY"
            name = "team"
            [api_keys.rate_limit]
            max_requests = 25
            per_seconds = 3600
            [models.config]
            cost_per_1k_tokens = 0.5
            cost_per_1k_completion_tokens = 1.5
            """);
        var environment = new Dictionary<string, string> { ["FAKE_UPSTREAM_KEY"] = "sk-upstream", ["TEAM_KEY"] = TeamKey };
        var nodes = await Task.WhenAll(Enumerable.Range(1, 3).Select(i =>
            RouterNodeProcess.StartAsync($"node-{i}", directory.Path, config, database.Url, environment)));
        try
        {
            Assert.Equal(3, await ActiveSilosAsync(database.Url, expected: 3));
            using var nginx = await NginxProcess.StartAsync(Path.Combine(directory.Path, "nginx"), nodes.Select(n => n.Port));
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = nginx.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
            // A cold node spends its first moments compiling and connecting: warm every node before the burst.
            foreach (var node in nodes)
            {
                using var direct = new HttpClient { BaseAddress = node.BaseUrl };
                await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ChatAsync(direct, "warmup")));
            }
            fake.Requests.Clear();

            var noModelGrains = await ClusterView.ModelGrainsAsync(nodes[0]);
            var limited = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => ChatAsync(client, "limited")));
            output.WriteLine($"limited: {limited.Count(r => r.Status == HttpStatusCode.OK)} x 200, {limited.Count(r => r.Status == HttpStatusCode.TooManyRequests)} x 429");
            Assert.Equal(40, limited.Count(r => r.Status == HttpStatusCode.OK));
            Assert.Equal(160, limited.Count(r => r.Status == HttpStatusCode.TooManyRequests));
            Assert.All(limited.Where(r => r.Status == HttpStatusCode.TooManyRequests), r =>
            {
                Assert.True(r.RetryAfter >= 1, "Retry-After must be whole seconds, at least 1");
                Assert.Equal("40", r.Limit);
                Assert.Equal("0", r.Remaining);
            });
            Assert.Equal(40, fake.Requests.Count);
            var limitedHost = ClusterView.HostOfNewModelGrain(nodes, noModelGrains, await ClusterView.ModelGrainsAsync(nodes[0]));
            var (logged, _, counted) = await SettledAsync(database.Url, "limited", expected: 40);
            Assert.Equal(40, logged);
            Assert.Equal(40, counted);
            // nginx gave each node about 67 of the 200: only one shared window explains exactly 40 admissions. Asked
            // directly, every node now refuses the model too.
            foreach (var node in nodes)
            {
                using var direct = new HttpClient { BaseAddress = node.BaseUrl };
                Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(direct, "limited")).Status);
            }

            var keyed = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => ChatAsync(client, "keyed", TeamKey)));
            output.WriteLine($"keyed: {keyed.Count(r => r.Status == HttpStatusCode.OK)} x 200, {keyed.Count(r => r.Status == HttpStatusCode.TooManyRequests)} x 429");
            Assert.Equal(25, keyed.Count(r => r.Status == HttpStatusCode.OK));
            Assert.Equal(75, keyed.Count(r => r.Status == HttpStatusCode.TooManyRequests));
            Assert.All(keyed.Where(r => r.Status == HttpStatusCode.TooManyRequests), r => Assert.True(r.RetryAfter >= 1));
            var (keyedLogged, _, keyedCounted) = await SettledAsync(database.Url, "keyed", expected: 25);
            Assert.Equal((25, 25), (keyedLogged, keyedCounted));
            Assert.Equal(25, await KeyRequestsAsync(database.Url));

            // The limited window filled long before (well over a persist interval): its state is persisted.
            await limitedHost.KillAsync();
            output.WriteLine($"{limitedHost.NodeId}, host of the limited model's grain, killed");
            var survivors = nodes.Where(n => n != limitedHost).ToArray();
            var afterKill = new List<Response>();
            for (var round = 0; round < 6; round++)
            {
                afterKill.AddRange(await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ChatAsync(client, "open"))));
            }
            Assert.All(afterKill, r => Assert.Equal(HttpStatusCode.OK, r.Status));
            var (openLogged, openNodes, openCounted) = await SettledAsync(database.Url, "open", expected: afterKill.Count);
            Assert.Equal(afterKill.Count, openLogged);
            Assert.Equal(afterKill.Count, openCounted);
            Assert.Equal(2, openNodes);
            // The limited model's grain (wherever it lived, the dead node included) answers from its persisted window:
            // nothing more is admitted.
            var limitedAfterKill = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ChatAsync(client, "limited")));
            Assert.All(limitedAfterKill, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.Status));

            await KillAfterRecentAdmissionsAsync(client, survivors, database.Url);
        }
        catch
        {
            foreach (var node in nodes)
            {
                output.WriteLine(node.Process.ToString());
            }
            throw;
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
            NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>
    /// Issue 16's figure for a window written behind: 20 calls, a wait of two persist intervals, 10 more, and a
    /// SIGKILL of the grain's silo at once. Back on the last survivor, the window re-admits at most those 10.
    /// </summary>
    private async Task KillAfterRecentAdmissionsAsync(HttpClient client, RouterNodeProcess[] survivors, string databaseUrl)
    {
        var before = await ClusterView.ModelGrainsAsync(survivors[0]);
        var early = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ChatAsync(client, "recent")));
        Assert.All(early, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var host = ClusterView.HostOfNewModelGrain(survivors, before, await ClusterView.ModelGrainsAsync(survivors[0]));
        await Task.Delay(PersistInterval * 2);

        var burstStarted = Stopwatch.StartNew();
        var late = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ChatAsync(client, "recent")));
        await host.KillAsync();
        var burstToKill = burstStarted.Elapsed;
        Assert.All(late, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.True(burstToKill < PersistInterval, $"the 10 calls and the kill took {burstToKill.TotalMilliseconds:0} ms, more than a persist interval");
        // Calls wait for the membership to declare the silo dead; asking after it keeps the figure about state alone.
        Assert.Equal(1, await ActiveSilosAsync(databaseUrl, expected: 1));

        var afterKill = new List<Response>();
        for (var round = 0; round < 4; round++)
        {
            afterKill.AddRange(await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ChatAsync(client, "recent"))));
        }
        var readmitted = afterKill.Count(r => r.Status == HttpStatusCode.OK);
        output.WriteLine($"recent: {host.NodeId} killed {burstToKill.TotalMilliseconds:0} ms after a burst of 10 admissions " +
            $"(window 30, persist interval {PersistInterval.TotalSeconds:0.##} s); re-admitted afterwards: {readmitted} of 40 asked");
        Assert.InRange(readmitted, 0, late.Length);
        Assert.All(afterKill.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.Status));
        // Whatever was re-admitted came off a window that is full again: nothing more is admitted.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(client, "recent")).Status);
    }

    private static async Task<Response> ChatAsync(HttpClient client, string model, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{Provider}}/{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new("Bearer", apiKey);
        }
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return new Response(
            response.StatusCode,
            response.Headers.RetryAfter?.Delta is { } delta ? (long)delta.TotalSeconds : -1,
            Header(response, "x-ratelimit-limit-requests"),
            Header(response, "x-ratelimit-remaining-requests"));
    }

    /// <summary>
    /// Waits (at most 10 s) until the log and the counters have caught up, reads them once more half a second later
    /// (so a late duplicate would show as an overcount), and reports them with the number of nodes that served.
    /// </summary>
    private static async Task<(long Logged, long Nodes, long Counted)> SettledAsync(string databaseUrl, string model, int expected)
    {
        await using var dataSource = NpgsqlDataSource.Create(Persistence.Postgres.PostgresConnectionString.FromUrl(databaseUrl));
        async Task<(long Logged, long Nodes, long Counted)> ReadAsync()
        {
            await using var command = dataSource.CreateCommand("""
                SELECT (SELECT count(*) FROM invocations WHERE provider = $1 AND model = $2 AND http_status = 200),
                       (SELECT count(DISTINCT node) FROM invocations WHERE provider = $1 AND model = $2),
                       (SELECT coalesce(sum(requests), 0)::bigint FROM invocation_rollups WHERE bucket_level = 3 AND provider = $1 AND model = $2)
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = model });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var read = await ReadAsync();
        while ((read.Logged < expected || read.Counted < expected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            read = await ReadAsync();
        }
        await Task.Delay(500);
        return await ReadAsync();
    }

    /// <summary>The silos Orleans' membership table lists as active (status 3), once it shows <paramref name="expected"/> (at most 20 s).</summary>
    private static async Task<long> ActiveSilosAsync(string databaseUrl, int expected)
    {
        await using var dataSource = NpgsqlDataSource.Create(Persistence.Postgres.PostgresConnectionString.FromUrl(databaseUrl));
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var active = (long)(await command.ExecuteScalarAsync())!;
        while (active != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            active = (long)(await command.ExecuteScalarAsync())!;
        }
        return active;
    }

    /// <summary>The key's usage counter (the key's id comes from the invocation log, which records it).</summary>
    private static async Task<long> KeyRequestsAsync(string databaseUrl)
    {
        await using var dataSource = NpgsqlDataSource.Create(Persistence.Postgres.PostgresConnectionString.FromUrl(databaseUrl));
        await using var command = dataSource.CreateCommand("""
            SELECT coalesce(sum(requests), 0)::bigint FROM invocation_rollups WHERE bucket_level = 3
                AND api_key_id = (SELECT DISTINCT api_key_id FROM invocations WHERE model = 'keyed')
            """);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private sealed record Response(HttpStatusCode Status, long RetryAfter, string? Limit, string? Remaining);
}
