using System.Globalization;

namespace ClusterBench;

/// <summary>The figures of one load run.</summary>
internal sealed record LoadResult(string Name, int Nodes, double PerSecond, int Ok, int Limited, int Other, double AdmissionP50, double AdmissionP99, double LatencyP50, double LatencyP99)
{
    /// <summary>Every 200 of the run, warm-up included: what the usage counters must add up to.</summary>
    public long AllAdmitted { get; init; }

    /// <summary>CPU time of the node processes over the measured seconds, per request answered in them (µs).</summary>
    public double NodeCpuPerRequest { get; init; }

    /// <summary>CPU time of the PostgreSQL server over the measured seconds, per request (µs); NaN when not measured.</summary>
    public double PostgresCpuPerRequest { get; init; }

    /// <summary>This process's CPU per request: the clients and the fake upstream, on the same cores as the nodes.</summary>
    public double BenchCpuPerRequest { get; init; }

    public static LoadResult From(string name, int nodes, int seconds, Sample[] samples)
    {
        var admissions = samples.Select(s => s.AdmissionMs).Where(d => !double.IsNaN(d)).Order().ToArray();
        var latencies = samples.Select(s => s.LatencyMs).Order().ToArray();
        return new LoadResult(
            name, nodes, samples.Length / (double)seconds,
            samples.Count(s => s.Status == 200), samples.Count(s => s.Status == 429), samples.Count(s => s.Status is not (200 or 429)),
            Percentile(admissions, 0.50), Percentile(admissions, 0.99), Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    public static void PrintTable(IEnumerable<LoadResult> results)
    {
        Console.WriteLine();
        Console.WriteLine($"{"run",-26} {"nodes",5} {"req/s",8} {"200",8} {"429",8} {"other",6} {"admit p50",10} {"admit p99",10} {"http p50",9} {"http p99",9} {"node µs/req",11} {"pg µs/req",9} {"bench µs/req",12}");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-26} {r.Nodes,5} {r.PerSecond,8:0} {r.Ok,8} {r.Limited,8} {r.Other,6} {r.AdmissionP50,8:0.00}ms {r.AdmissionP99,8:0.00}ms {r.LatencyP50,7:0.00}ms {r.LatencyP99,7:0.00}ms {r.NodeCpuPerRequest,11:0} {r.PostgresCpuPerRequest,9:0} {r.BenchCpuPerRequest,12:0}"));
        }
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
