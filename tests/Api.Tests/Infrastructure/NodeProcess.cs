using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LlmRouter.Api.Tests.Infrastructure;

/// <summary>
/// A router node started as its own process (<c>dotnet LlmRouter.Silo.dll</c>, as built alongside the tests) with
/// the given LLM_ROUTER_* environment, listening on a loopback port it picks itself.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NodeProcess(Process process, string nodeId)
    {
        _process = process;
        NodeId = nodeId;
    }

    public string NodeId { get; }
    public Uri BaseUrl { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>What the node printed so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<NodeProcess> StartAsync(string nodeId, string workingDirectory, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloAssembly());
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("LLM_ROUTER_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }
        start.Environment["LLM_ROUTER_HOST"] = "127.0.0.1";
        start.Environment["LLM_ROUTER_PORT"] = "0";
        start.Environment["LLM_ROUTER_LOG_LEVEL"] = "INFO";
        start.Environment["LLM_ROUTER_NODE_ID"] = nodeId;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var node = new NodeProcess(process, nodeId);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            node._output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(90)));
        if (first != listening.Task)
        {
            await node.DisposeAsync();
            Assert.Fail($"node {nodeId} did not start listening:\n{node.Output}");
        }
        node.BaseUrl = await listening.Task;
        node.Http = new HttpClient { BaseAddress = node.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        return node;
    }

    /// <summary>The node's local models as its internal endpoint reports them (needs the cluster secret).</summary>
    public async Task<JsonArray> LocalModelsAsync(string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/internal/local/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["models"]!.AsArray();
    }

    /// <summary>Calls the node's local model <paramref name="modelId"/> has completed.</summary>
    public async Task<long> ServedAsync(string secret, string modelId) =>
        (await LocalModelsAsync(secret)).Single(m => m!["id"]!.GetValue<string>() == modelId)!["served"]!.GetValue<long>();

    /// <summary>Kills the process at once, as a crash would: it leaves its registry row behind.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private static string SiloAssembly()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var framework = output.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LlmRouter.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var silo = Path.Combine(root!.FullName, "src", "Silo", "bin", configuration, framework, "LlmRouter.Silo.dll");
        Assert.True(File.Exists(silo), $"{silo} is missing: build src/Silo in {configuration}");
        return silo;
    }

    [GeneratedRegex(@"listening on (http://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
