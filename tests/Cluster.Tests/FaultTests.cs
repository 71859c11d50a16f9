using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Cluster.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace LlmRouter.Cluster.Tests;

/// <summary>
/// Faults under load, with real processes: a node killed with SIGKILL behind nginx, and the PostgreSQL server stopped
/// and started again while nodes serve. Every call carries a marker, so the upstream's requests, the invocation log,
/// the usage counters and the clients' answers are matched call by call.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output) : IRequiresPostgres
{
    private const string Provider = "fake";
    private const string Model = "load";
    private const string TeamKey = "sk-fault-0123456789abcdef";

    [StoreFact]
    public async Task A_node_killed_under_load_loses_no_answered_call_and_counts_none_twice()
    {
        using var directory = new TempDirectory();
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var fake = await SlowFakeAsync();
        var config = await WriteConfigAsync(directory, fake);
        var nodes = await Task.WhenAll(Enumerable.Range(1, 2).Select(i =>
            RouterNodeProcess.StartAsync($"node-{i}", directory.Path, config, database.Url, Environment())));
        try
        {
            using var nginx = await NginxProcess.StartAsync(Path.Combine(directory.Path, "nginx"), nodes.Select(n => n.Port));
            using var client = Client(nginx.BaseUrl);
            await WarmAsync(nodes);
            fake.Requests.Clear();

            await using var load = MarkedLoad.Start(client, $"{Provider}/{Model}", concurrency: 32, TeamKey);
            await WaitForAnswersAsync(load, 1000);
            // The store is slow at the moment of the crash: writes of the log and the counters wait on a lock for a
            // while, and the node dies in the middle. A node that answered before its records were stored loses them.
            await using (var blocker = await BlockWritesAsync(database.Url))
            {
                await Task.Delay(300);
                await nodes[1].KillAsync();
            }
            var killedAt = load.Elapsed;
            var answeredAtKill = load.Answers.Count;
            await WaitForAnswersAsync(load, answeredAtKill + 1000);
            await load.StopAsync();

            var answers = load.Answers.ToArray();
            var answered = answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Marker).ToHashSet();
            var upstream = fake.Requests.SelectMany(r => MarkedLoad.Markers(r.Body)).ToList();
            var (logged, counted) = await SettledAsync(database.Url, minimum: answered.Count);
            output.WriteLine($"killed node-2 at {killedAt.TotalSeconds:0.00} s; {answers.Length} calls: {answered.Count} answered 200, " +
                $"{answers.Length - answered.Count} not ({string.Join(", ", answers.Where(a => a.Status != HttpStatusCode.OK).GroupBy(a => a.Status?.ToString() ?? "no answer").Select(g => $"{g.Count()} x {g.Key}"))}); " +
                $"upstream saw {upstream.Count}, log holds {logged.Count}, counters say {counted}");

            Assert.True(answered.Count >= 1800, "the load did not run");
            Assert.True(answers.Count(a => a.Status == HttpStatusCode.OK && a.SentAt > killedAt) >= 900, "the service did not go on after the kill");
            Assert.Empty(answered.Except(logged));
            Assert.Equal(logged.Count, logged.Distinct().Count());
            Assert.Equal(upstream.Count, upstream.Distinct().Count());
            Assert.Empty(logged.Except(upstream));
            Assert.InRange(counted, answered.Count, upstream.Count);
        }
        catch
        {
            Dump(nodes);
            throw;
        }
        finally
        {
            Dispose(nodes);
        }
    }

    [StoreFact]
    public async Task A_restarting_database_leaves_calls_answered_and_every_answered_call_logged()
    {
        using var directory = new TempDirectory();
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var fake = await SlowFakeAsync();
        var config = await WriteConfigAsync(directory, fake);
        var nodes = await Task.WhenAll(Enumerable.Range(1, 2).Select(i =>
            RouterNodeProcess.StartAsync($"node-{i}", directory.Path, config, postgres.Url, Environment())));
        try
        {
            using var nginx = await NginxProcess.StartAsync(Path.Combine(directory.Path, "nginx"), nodes.Select(n => n.Port));
            using var client = Client(nginx.BaseUrl);
            await WarmAsync(nodes);
            var pids = nodes.Select(n => n.Process.Id).ToArray();

            await using var load = MarkedLoad.Start(client, $"{Provider}/{Model}", concurrency: 16, TeamKey);
            await WaitForAnswersAsync(load, 200);
            var stoppedAt = load.Elapsed;
            await postgres.StopServerAsync();
            output.WriteLine($"PostgreSQL stopped at {stoppedAt.TotalSeconds:0.00} s");
            await Task.Delay(TimeSpan.FromSeconds(3));
            var startedAt = load.Elapsed;
            await postgres.StartServerAsync();
            output.WriteLine($"PostgreSQL started at {startedAt.TotalSeconds:0.00} s");
            var recoveredAt = await WaitForRecoveryAsync(load, startedAt, TimeSpan.FromSeconds(20));
            output.WriteLine($"every call answered 200 again from {recoveredAt.TotalSeconds:0.00} s");
            var settledFrom = load.Answers.Count;
            await WaitForAnswersAsync(load, settledFrom + 300);
            await load.StopAsync();

            var answers = load.Answers.ToArray();
            var outage = answers.Where(a => a.SentAt >= stoppedAt && a.SentAt < startedAt).ToArray();
            output.WriteLine($"during the outage {outage.Length} calls: " +
                string.Join(", ", outage.GroupBy(a => a.Status?.ToString() ?? "no answer").Select(g => $"{g.Count()} x {g.Key}")) +
                $"; slowest {outage.Max(a => a.Took).TotalMilliseconds:0} ms");
            // From the stop until every call is answered 200 again: the database's restart and the nodes' reconnection too.
            var disturbed = answers.Where(a => a.SentAt >= stoppedAt && a.SentAt < recoveredAt).ToArray();
            var disturbedOk = disturbed.Count(a => a.Status == HttpStatusCode.OK);
            output.WriteLine($"from the stop to recovery {disturbed.Length} calls, {disturbedOk} answered 200 ({100.0 * disturbedOk / disturbed.Length:0.00} %)");

            // Every call answered before the stop began succeeded (one still in flight when it began may get a 503).
            Assert.All(answers.Where(a => a.SentAt + a.Took < stoppedAt), a => Assert.Equal(HttpStatusCode.OK, a.Status));
            // Meanwhile calls keep being answered: admission needs no database (the limit grains hold the windows). A
            // call may wait for its log record (durable_log_timeout, 2 s) before it is answered; nothing waits longer,
            // and a call that is refused gets a 503 in OpenAI's error shape, never left hanging or failed otherwise.
            Assert.True(outage.Length > 0 && outage.Count(a => a.Status == HttpStatusCode.OK) >= outage.Length * 0.99,
                "fewer than 99 % of the calls made while the database was down were answered 200");
            Assert.True(disturbedOk >= disturbed.Length * 0.99, "fewer than 99 % of the calls made from the stop to recovery were answered 200");
            Assert.All(disturbed, a =>
            {
                Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"call-{a.Marker}: {a.Status} {a.Body}");
                Assert.True(a.Took < TimeSpan.FromSeconds(5), $"call-{a.Marker} took {a.Took.TotalMilliseconds:0} ms");
                if (a.Status == HttpStatusCode.ServiceUnavailable)
                {
                    Assert.NotNull(JsonNode.Parse(a.Body)!["error"]!["message"]);
                }
            });
            // Recovered without a restart: the same processes answer every call again.
            Assert.All(answers.Skip(settledFrom), a => Assert.Equal(HttpStatusCode.OK, a.Status));
            Assert.Equal(pids, nodes.Select(n => n.Process.Id));
            Assert.All(nodes, n => Assert.False(n.Process.HasExited));
            // Calls answered 200 while the database was away were logged once it came back.
            var answered = answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Marker).ToHashSet();
            var (logged, _) = await SettledAsync(postgres.Url, minimum: answered.Count);
            Assert.Empty(answered.Except(logged));
            Assert.Equal(logged.Count, logged.Distinct().Count());
        }
        catch
        {
            Dump(nodes);
            throw;
        }
        finally
        {
            Dispose(nodes);
            NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>An upstream that takes 10 ms an answer, so calls are in flight when the fault hits.</summary>
    private static async Task<FakeOpenAiUpstream> SlowFakeAsync()
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = async (http, request) =>
        {
            await Task.Delay(10);
            await FakeOpenAiUpstream.WriteCompletionAsync(http, "load", "ok");
        };
        return fake;
    }

    /// <summary>One model with a request limit high enough never to refuse, so every call is admitted and settled in the store.</summary>
    private static async Task<string> WriteConfigAsync(TempDirectory directory, FakeOpenAiUpstream fake)
    {
        var config = directory.File("router.toml");
        await File.WriteAllTextAsync(config, $"""
            [[providers]]
            name = "{Provider}"
            type = "openai"
            api_key_env = "FAKE_UPSTREAM_KEY"
            base_url = "{fake.BaseUrl.ToString().TrimEnd('/')}"

            [[models]]
            name = "{Model}"
            provider = "{Provider}"
            [models.rate_limit]
            max_requests = 100000000
            per_seconds = 3600

            [[models]]
            name = "warmup"
            provider = "{Provider}"

            [[api_keys]]
            key_env = "TEAM_KEY"
            name = "team"
            """);
        return config;
    }

    private static Dictionary<string, string> Environment() => new() { ["FAKE_UPSTREAM_KEY"] = "sk-upstream", ["TEAM_KEY"] = TeamKey };

    private static HttpClient Client(Uri baseUrl) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A cold node spends its first calls compiling and connecting: warm every node directly first (on a model of its own).</summary>
    private static async Task WarmAsync(IEnumerable<RouterNodeProcess> nodes)
    {
        foreach (var node in nodes)
        {
            using var direct = Client(node.BaseUrl);
            await using var warm = MarkedLoad.Start(direct, $"{Provider}/warmup", concurrency: 4, TeamKey);
            await WaitForAnswersAsync(warm, 40);
        }
    }

    private static async Task WaitForAnswersAsync(MarkedLoad load, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (load.Answers.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {load.Answers.Count} of {count} calls answered within a minute");
            await Task.Delay(20);
        }
    }

    /// <summary>When calls sent after <paramref name="from"/> are answered 200 again, twenty in a row.</summary>
    private static async Task<TimeSpan> WaitForRecoveryAsync(MarkedLoad load, TimeSpan from, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var recent = load.Answers.Where(a => a.SentAt >= from).OrderBy(a => a.SentAt).ToArray();
            var failed = recent.LastOrDefault(a => a.Status != HttpStatusCode.OK);
            var after = failed is null ? recent : recent.Where(a => a.SentAt > failed.SentAt).ToArray();
            if (after.Length >= 20)
            {
                return after[0].SentAt;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the nodes did not answer 200 again within {limit.TotalSeconds} s of the database's return");
    }

    /// <summary>
    /// The markers in the invocation log and the model's request counter, once the log holds at least
    /// <paramref name="minimum"/> calls (at most 20 s), read again half a second later so a late duplicate would show.
    /// </summary>
    private static async Task<(List<long> Logged, long Counted)> SettledAsync(string databaseUrl, int minimum)
    {
        await using var dataSource = NpgsqlDataSource.Create(Persistence.Postgres.PostgresConnectionString.FromUrl(databaseUrl));
        async Task<(List<long>, long)> ReadAsync()
        {
            var logged = new List<long>();
            await using (var command = dataSource.CreateCommand("SELECT request_body FROM invocations WHERE provider = $1 AND model = $2"))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Model });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    logged.AddRange(MarkedLoad.Markers(reader.IsDBNull(0) ? null : reader.GetString(0)));
                }
            }
            await using var counter = dataSource.CreateCommand(
                "SELECT coalesce(sum(requests), 0)::bigint FROM invocation_rollups WHERE bucket_level = 3 AND provider = $1 AND model = $2");
            counter.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Provider });
            counter.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Model });
            return (logged, (long)(await counter.ExecuteScalarAsync())!);
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var read = await ReadAsync();
        while (read.Item1.Count < minimum && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            read = await ReadAsync();
        }
        await Task.Delay(500);
        return await ReadAsync();
    }

    /// <summary>A transaction holding a lock that makes writes to the invocation log (and so to the usage counters, its roll-ups) wait until it is disposed.</summary>
    private static async Task<IAsyncDisposable> BlockWritesAsync(string databaseUrl)
    {
        var connection = new NpgsqlConnection(Persistence.Postgres.PostgresConnectionString.FromUrl(databaseUrl));
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand("BEGIN; LOCK TABLE invocations IN SHARE MODE", connection))
        {
            await command.ExecuteNonQueryAsync();
        }
        return connection;
    }

    private void Dump(IEnumerable<RouterNodeProcess> nodes)
    {
        foreach (var node in nodes)
        {
            output.WriteLine(node.Process.ToString());
        }
    }

    private static void Dispose(IEnumerable<RouterNodeProcess> nodes)
    {
        foreach (var node in nodes)
        {
            node.Dispose();
        }
    }
}
