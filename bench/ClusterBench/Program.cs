// ClusterBench: limited requests per second through one node and through three nodes sharing one PostgreSQL,
// with the nodes' own admission latency (Server-Timing) at p50/p99. Not a test: it prints figures.
//   dotnet run -c Release --project bench/ClusterBench -- --postgres postgresql://postgres:pw@127.0.0.1:5432/postgres
// --silo PATH/LlmRouter.Silo.dll measures another build (an older commit's worktree) with the same harness;
// --postgres-pid PID adds the local PostgreSQL server's CPU per request to the nodes'.
// (bench/ClusterBench/run.sh starts a throwaway PostgreSQL and runs it.)
using ClusterBench;
using Npgsql;

var options = BenchOptions.Parse(args);
var databaseName = "llmr_bench_" + Guid.NewGuid().ToString("N")[..12];
var admin = new NpgsqlConnectionStringBuilder(LlmRouter.Persistence.Postgres.PostgresConnectionString.FromUrl(options.PostgresUrl)) { Pooling = false }.ConnectionString;
await using (var connection = new NpgsqlConnection(admin))
{
    await connection.OpenAsync();
    await using var create = new NpgsqlCommand($"CREATE DATABASE {databaseName}", connection);
    await create.ExecuteNonQueryAsync();
}
var databaseUrl = new UriBuilder(options.PostgresUrl) { Path = "/" + databaseName }.Uri.ToString();
var directory = Directory.CreateTempSubdirectory("llmrouter-bench-").FullName;
var results = new List<LoadResult>();
try
{
    await using var upstream = await FakeUpstream.StartAsync();
    await File.WriteAllTextAsync(Path.Combine(directory, "router.toml"), $"""
        [[providers]]
        name = "bench"
        type = "openai"
        api_key_env = "BENCH_UPSTREAM_KEY"
        base_url = "{upstream.BaseUrl.ToString().TrimEnd('/')}"

        # Admits everything, but every call still goes through a request window and a token window (reserve + settle).
        [[models]]
        name = "limited"
        provider = "bench"
        [models.rate_limit]
        max_requests = 1000000000
        per_seconds = 60
        tokens_per_minute = 1000000000000

        # Admits one call an hour: nearly every call is answered 429 after the admission round trip alone.
        [[models]]
        name = "scarce"
        provider = "bench"
        [models.rate_limit]
        max_requests = 1
        per_seconds = 3600
        """);
    Console.WriteLine($"node: {options.SiloDll ?? "this checkout's build"}");
    Console.WriteLine($"PostgreSQL database {databaseName}; {options.Concurrency} concurrent clients; {options.WarmupSeconds}s warm-up + {options.Seconds}s per run");
    foreach (var count in options.NodeCounts)
    {
        Console.WriteLine($"starting {count} node(s)");
        var nodes = new List<NodeProcess>();
        try
        {
            for (var i = 1; i <= count; i++)
            {
                nodes.Add(await NodeProcess.StartAsync($"bench-{i}", directory, databaseUrl, options.SiloDll));
            }
            var urls = nodes.Select(n => n.BaseUrl).ToArray();
            var cpu = new CpuMeter(() => nodes.Select(n => n.Process), options.PostgresPid);
            foreach (var (label, model) in new[] { ("admitted", "bench/limited"), ("refused", "bench/scarce") })
            {
                var check = await UsageCheck.StartAsync(databaseUrl, model);
                var result = await LoadRun.RunAsync($"{count} node(s), {label}", urls, model, options, cpu);
                results.Add(result);
                await check.ReportAsync(result.AllAdmitted);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }
}
finally
{
    // The runs that finished are worth printing even when a later one could not start.
    LoadResult.PrintTable(results);
    NpgsqlConnection.ClearAllPools();
    await using (var connection = new NpgsqlConnection(admin))
    {
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
    Directory.Delete(directory, recursive: true);
}
