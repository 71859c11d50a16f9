namespace LlmRouter.Cluster.Tests.Infrastructure;

/// <summary>One router node as its own process (<c>dotnet LlmRouter.Silo.dll</c>), configured only through its environment.</summary>
internal sealed class RouterNodeProcess : IDisposable
{
    private RouterNodeProcess(string nodeId, ChildProcess process, int port)
    {
        NodeId = nodeId;
        Process = process;
        Port = port;
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
    }

    public string NodeId { get; }
    public ChildProcess Process { get; }
    public int Port { get; }
    public Uri BaseUrl { get; }

    public static async Task<RouterNodeProcess> StartAsync(string nodeId, string directory, string configPath, string databaseUrl, IDictionary<string, string> extra)
    {
        var port = FreePorts.Next();
        var environment = new Dictionary<string, string>(extra)
        {
            ["LLM_ROUTER_NODE_ID"] = nodeId,
            ["LLM_ROUTER_HOST"] = "127.0.0.1",
            ["LLM_ROUTER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LLM_ROUTER_DATABASE_URL"] = databaseUrl,
            ["LLM_ROUTER_MODEL_CONFIG"] = configPath,
            ["LLM_ROUTER_LOG_LEVEL"] = "WARNING",
            ["DOTNET_gcServer"] = "0",
        };
        var process = new ChildProcess(nodeId, "dotnet", [RepositoryPaths.SiloDll], directory, environment);
        var node = new RouterNodeProcess(nodeId, process, port);
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    public Task KillAsync() => Process.KillAsync();

    public void Dispose() => Process.Dispose();

    private async Task WaitHealthyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"node exited before it served: {Process}");
            }
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"node did not answer /health within {limit.TotalSeconds} s: {Process}");
    }
}
