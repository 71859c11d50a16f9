using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace ClusterBench;

/// <summary>Closed-loop load: a fixed number of clients, each sending its next request as soon as the last one answered.</summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(string name, IReadOnlyList<Uri> nodes, string model, BenchOptions options, CpuMeter cpu)
    {
        var clients = nodes.Select(n => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = n,
            Timeout = TimeSpan.FromSeconds(30),
        }).ToArray();
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""");
        var samples = Enumerable.Range(0, options.Concurrency).Select(_ => new List<Sample>(64 * 1024)).ToArray();
        var recording = 0;
        var completed = 0L;
        var admitted = 0L;
        var stopping = 0;

        async Task WorkerAsync(int worker)
        {
            var client = clients[worker % clients.Length];
            var mine = samples[worker];
            // In-flight requests finish when the run stops, so every 200 a client sees can be checked against the counters.
            while (Volatile.Read(ref stopping) == 0)
            {
                var started = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                HttpStatusCode status;
                double admissionMs = double.NaN;
                try
                {
                    using var response = await client.PostAsync("/v1/chat/completions", content);
                    await response.Content.CopyToAsync(Stream.Null);
                    status = response.StatusCode;
                    if (response.Headers.TryGetValues("server-timing", out var timing))
                    {
                        var text = timing.First();
                        var at = text.IndexOf("dur=", StringComparison.Ordinal);
                        if (at >= 0)
                        {
                            admissionMs = double.Parse(text.AsSpan(at + 4), CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }
                Interlocked.Increment(ref completed);
                if (status == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref admitted);
                }
                if (Volatile.Read(ref recording) == 1)
                {
                    mine.Add(new Sample((int)status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, admissionMs));
                }
            }
        }

        var workers = Enumerable.Range(0, options.Concurrency).Select(w => Task.Run(() => WorkerAsync(w))).ToArray();
        var total = options.WarmupSeconds + options.Seconds;
        var last = 0L;
        (TimeSpan Nodes, TimeSpan Postgres, TimeSpan Bench) cpuAtStart = default;
        for (var second = 1; second <= total; second++)
        {
            if (second == options.WarmupSeconds + 1)
            {
                cpuAtStart = cpu.Read();
                Volatile.Write(ref recording, 1);
            }
            await Task.Delay(1000);
            var now = Interlocked.Read(ref completed);
            Console.WriteLine($"  {name,-26} {(second <= options.WarmupSeconds ? "warm-up" : "measure"),-8} {second,3}/{total}s  {now - last,7} req/s");
            last = now;
        }
        Volatile.Write(ref recording, 0);
        var cpuAtEnd = cpu.Read();
        Volatile.Write(ref stopping, 1);
        await Task.WhenAll(workers);
        foreach (var client in clients)
        {
            client.Dispose();
        }
        var recorded = samples.SelectMany(s => s).ToArray();
        return LoadResult.From(name, nodes.Count, options.Seconds, recorded) with
        {
            AllAdmitted = admitted,
            NodeCpuPerRequest = PerRequest(cpuAtEnd.Nodes - cpuAtStart.Nodes, recorded.Length),
            PostgresCpuPerRequest = PerRequest(cpuAtEnd.Postgres - cpuAtStart.Postgres, recorded.Length),
            BenchCpuPerRequest = PerRequest(cpuAtEnd.Bench - cpuAtStart.Bench, recorded.Length),
        };
    }

    private static double PerRequest(TimeSpan cpu, int requests) => requests == 0 ? double.NaN : cpu.TotalMicroseconds / requests;
}

/// <summary>One answered request: HTTP status, client-side latency, and the node's own admission time (Server-Timing).</summary>
internal readonly record struct Sample(int Status, double LatencyMs, double AdmissionMs);
