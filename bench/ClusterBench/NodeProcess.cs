using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClusterBench;

/// <summary>A router node as its own process (<c>dotnet LlmRouter.Silo.dll</c>), configured through its environment.</summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public Process Process => _process;

    public static async Task<NodeProcess> StartAsync(string nodeId, string directory, string databaseUrl, string? siloDll)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(siloDll ?? SiloDll());
        start.Environment["LLM_ROUTER_NODE_ID"] = nodeId;
        start.Environment["LLM_ROUTER_HOST"] = "127.0.0.1";
        start.Environment["LLM_ROUTER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["LLM_ROUTER_DATABASE_URL"] = databaseUrl;
        start.Environment["LLM_ROUTER_MODEL_CONFIG"] = Path.Combine(directory, "router.toml");
        start.Environment["LLM_ROUTER_LOG_LEVEL"] = "WARNING";
        start.Environment["BENCH_UPSTREAM_KEY"] = "sk-bench";
        start.Environment["DOTNET_gcServer"] = Environment.GetEnvironmentVariable("BENCH_GC_SERVER") ?? "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { Console.Error.WriteLine($"[{nodeId}] {line}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = node.BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && !process.HasExited;)
        {
            try
            {
                using var health = await http.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        node.Dispose();
        throw new InvalidOperationException($"{nodeId} did not start");
    }

    /// <summary>
    /// Stops the node as an operator would (SIGTERM), so its silo leaves the membership table: a silo killed outright
    /// stays "active" there until declared dead, and the next run's first silo waits at its join to reach it.
    /// </summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            using (var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                terminate.WaitForExit();
            }
            if (!_process.WaitForExit(20_000))
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The Silo built in the same configuration as this program (unless <c>--silo</c> names another).</summary>
    private static string SiloDll()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        for (var directory = framework; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmRouter.sln")))
            {
                return Path.Combine(directory.FullName, "src", "Silo", "bin", framework.Parent!.Name, framework.Name, "LlmRouter.Silo.dll");
            }
        }
        throw new DirectoryNotFoundException("LlmRouter.sln not found above " + AppContext.BaseDirectory);
    }
}
