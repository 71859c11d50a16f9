using System.Globalization;

namespace ClusterBench;

/// <summary>Command line: <c>--postgres URL --seconds N --concurrency N --nodes 1,3 --silo PATH --postgres-pid PID</c>.</summary>
internal sealed record BenchOptions
{
    public required string PostgresUrl { get; init; }
    public int Seconds { get; init; } = 15;
    /// <summary>
    /// Unmeasured seconds first: the nodes' JIT keeps compiling hot code for many seconds under load, and with a 3 s
    /// warm-up most of a node's CPU in the measured seconds was the compiler's, not the request path's.
    /// </summary>
    public int WarmupSeconds { get; init; } = 20;
    public int Concurrency { get; init; } = 64;
    public IReadOnlyList<int> NodeCounts { get; init; } = [1, 3];

    /// <summary>The node build to measure (LlmRouter.Silo.dll): another checkout's, to compare two commits in one sitting.</summary>
    public string? SiloDll { get; init; }

    /// <summary>The PostgreSQL postmaster's process id on this machine, to count the server's CPU time per request.</summary>
    public int? PostgresPid { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        string? postgres = Environment.GetEnvironmentVariable("LLM_ROUTER_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("LLM_ROUTER_TEST_POSTGRES");
        int seconds = 15, warmup = 20, concurrency = 64;
        IReadOnlyList<int> nodes = [1, 3];
        string? silo = null;
        int? postgresPid = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--postgres": postgres = Next(); break;
                case "--seconds": seconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--nodes": nodes = Next().Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--silo": silo = Path.GetFullPath(Next()); break;
                case "--postgres-pid": postgresPid = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]} (use --postgres URL --seconds N --warmup N --concurrency N --nodes 1,3 --silo PATH --postgres-pid PID)");
            }
        }
        return new BenchOptions
        {
            PostgresUrl = postgres ?? throw new ArgumentException("give --postgres postgresql://user:password@host:port/postgres (or set LLM_ROUTER_BENCH_POSTGRES)"),
            Seconds = seconds,
            WarmupSeconds = warmup,
            Concurrency = concurrency,
            NodeCounts = nodes,
            PostgresPid = postgresPid,
            SiloDll = silo is null || File.Exists(silo) ? silo : throw new ArgumentException($"--silo {silo}: no such file (give a built LlmRouter.Silo.dll)"),
        };
    }
}
