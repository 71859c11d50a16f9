using System.Globalization;
using MonitoringBench;

// Fills SQLite and PostgreSQL invocation logs through the store's own write path and times every monitoring and cost
// query at each size, printing the medians side by side and each store's ratio to the log-scan baseline.
//   dotnet run -c Release --project bench/MonitoringBench -- [--calls 1000000,10000000] [--stores sqlite,postgres] [--reuse LOG]
// --reuse names a log a run left behind (a SQLite file, or a PostgreSQL database name) to fill on from where it stopped
// (the fill is the same whatever run writes it) and keep; with one store and one size.
// PostgreSQL is read from LLM_ROUTER_BENCH_POSTGRES (or LLM_ROUTER_TEST_POSTGRES): postgresql://user:password@host:port/postgres
var calls = new List<long> { 1_000_000, 10_000_000 };
var stores = new List<string> { "sqlite", "postgres" };
string? reuse = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--calls": calls = args[i + 1].Split(',').Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToList(); break;
        case "--stores": stores = args[i + 1].Split(',').ToList(); break;
        case "--reuse": reuse = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
var postgres = Environment.GetEnvironmentVariable("LLM_ROUTER_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("LLM_ROUTER_TEST_POSTGRES");
if (stores.Contains("postgres") && string.IsNullOrEmpty(postgres))
{
    Console.Error.WriteLine("PostgreSQL skipped: set LLM_ROUTER_BENCH_POSTGRES=postgresql://user:password@host:port/postgres");
    stores.Remove("postgres");
}

var columns = new List<(string Label, IReadOnlyList<(string Query, double Ms)> Results)>();
foreach (var store in stores)
{
    foreach (var n in calls)
    {
        var label = $"{(store == "sqlite" ? "SQLite" : "PostgreSQL")} {Size(n)}";
        Console.Error.WriteLine($"== {label}: filling");
        await using var bench = store == "sqlite" ? await BenchStore.SqliteAsync(reuse) : await BenchStore.PostgresAsync(postgres!, reuse);
        Console.Error.WriteLine($"   {label}: log {bench.Log}");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var logged = Convert.ToInt64(await bench.Scalar("SELECT COUNT(*) FROM invocations"), CultureInfo.InvariantCulture);
        await LogFill.FillAsync(bench.Store, logged, n, label);
        Console.Error.WriteLine($"== {label}: filled in {watch.Elapsed.TotalSeconds:N0} s; timing queries (median of {QueryTimings.Runs})");
        columns.Add((label, await QueryTimings.RunAsync(bench, n)));
    }
}

Console.WriteLine();
Console.WriteLine($"| query (median ms) | {string.Join(" | ", columns.Select(c => c.Label))} |");
Console.WriteLine($"| --- |{string.Concat(columns.Select(_ => " ---: |"))}");
foreach (var query in columns[0].Results.Select(r => r.Query))
{
    Console.WriteLine($"| {query} | {string.Join(" | ", columns.Select(c => c.Results.First(r => r.Query == query).Ms.ToString("N1", CultureInfo.InvariantCulture)))} |");
}
foreach (var (label, results) in columns)
{
    var baseline = results[^1].Ms;
    var slowest = results.Where(r => !r.Query.StartsWith("baseline", StringComparison.Ordinal)).MaxBy(r => r.Ms);
    Console.WriteLine($"{label}: slowest query {slowest.Query} {slowest.Ms:N1} ms; 30-day statistics {results[1].Ms:N1} ms = {results[1].Ms / baseline:P1} of the log-scan baseline ({baseline:N1} ms)");
    var page = results.First(r => r.Query == "/monitor/invocations (first page)").Ms;
    var count = results.First(r => r.Query == "baseline: list total by COUNT(*), whole log").Ms;
    Console.WriteLine($"{label}: invocation list, first page with its total {page:N1} ms = {page / count:P1} of the COUNT(*) its total took before ({count:N1} ms)");
}
return 0;

static string Size(long n) => n % 1_000_000 == 0 ? $"{n / 1_000_000}M" : n.ToString("N0", CultureInfo.InvariantCulture);
