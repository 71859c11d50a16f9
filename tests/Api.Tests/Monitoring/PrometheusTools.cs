using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>
/// Debian's prometheus package (installed by run-tests.sh): <c>promtool check metrics</c>, and a throwaway Prometheus
/// server on a free loopback port with its own storage directory, scraping one target every second.
/// </summary>
public sealed class PrometheusTools : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusTools(Process process, string directory, Uri baseUrl)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Runs <c>promtool check metrics</c> on an exposition; returns its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var start = new ProcessStartInfo(Executable("promtool"), ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port) every second and waits until it answers queries.</summary>
    public static async Task<PrometheusTools> StartAsync(string target)
    {
        var directory = Path.Combine(Path.GetTempPath(), "llmrouter-prometheus", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: llm-router
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(Executable("prometheus"),
        [
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            "--web.listen-address=127.0.0.1:" + port,
            "--log.level=warn",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusTools(process, directory, new Uri($"http://127.0.0.1:{port}"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, "prometheus exited during start-up");
            try
            {
                using var ready = await server._http.GetAsync("/-/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException("prometheus did not become ready within 60 s");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Runs an instant query; returns the result vector, failing the test on an error answer.</summary>
    public async Task<JsonArray> QueryAsync(string expression)
    {
        using var response = await _http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(expression));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK && body["status"]!.GetValue<string>() == "success",
            $"query {expression} failed: {body.ToJsonString()}");
        return body["data"]!["result"]!.AsArray();
    }

    /// <summary>Queries until the result satisfies <paramref name="done"/> (scrapes arrive every second), at most until the deadline.</summary>
    public async Task<JsonArray> QueryUntilAsync(string expression, Func<JsonArray, bool> done, DateTime deadline)
    {
        while (true)
        {
            var result = await QueryAsync(expression);
            if (done(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }
            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is harmless in a temp directory.
        }
    }

    private static readonly string[] BinaryDirectories = ["/usr/bin", "/usr/local/bin", "/bin"];

    private static string Executable(string name) =>
        BinaryDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not installed: install Debian's prometheus package (run-tests.sh does)");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
