using System.ClientModel;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// A real router node on a loopback port, with its own temp directory (router.toml, SQLite file) and its own
/// environment, so tests run side by side without touching process-global state.
/// </summary>
public sealed class RouterHarness : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RouterHarness(WebApplication app, string directory, Uri baseUrl)
    {
        _app = app;
        Directory = directory;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Directory { get; }
    public Uri BaseUrl { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a node whose router.toml is <paramref name="toml"/>; environment entries are added to the test defaults.</summary>
    public static async Task<RouterHarness> StartAsync(string toml, IDictionary<string, string>? environment = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "llmrouter-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "router.toml"), toml);
        var variables = new Dictionary<string, string>
        {
            ["LLM_ROUTER_HOST"] = "127.0.0.1",
            ["LLM_ROUTER_PORT"] = "0",
            ["LLM_ROUTER_LOG_LEVEL"] = "WARNING",
            ["LLM_ROUTER_NODE_ID"] = "test-node",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        var app = await RouterNode.BuildAsync(new RouterNodeOptions
        {
            Environment = new RouterEnvironment(variables),
            WorkingDirectory = directory,
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RouterHarness(app, directory, new Uri(address));
    }

    /// <summary>A router.toml with one OpenAI-type provider pointing at the fake and the given models.</summary>
    public static string Toml(Uri upstream, string models = DefaultModels, string provider = "fake", string extra = "") => $"""
        [server]
        host = "127.0.0.1"

        [[providers]]
        name = "{provider}"
        type = "openai"
        api_key_env = "FAKE_UPSTREAM_KEY"
        base_url = "{upstream.ToString().TrimEnd('/')}"

        {models}
        {extra}
        """;

    public const string DefaultModels = """
        [[models]]
        name = "gpt-test"
        provider = "fake"
        upstream_model = "gpt-4o-mini-2024-07-18"
        display_name = "GPT Test"
        tags = ["chat", "fast"]
        [models.config]
        context_window = "128k"
        supports_tools = true
        cost_per_1k_tokens = 0.5
        cost_per_1k_completion_tokens = 1.5
        """;

    public ChatClient OpenAiChat(string model, string apiKey = "client-key") =>
        new(model, new ApiKeyCredential(apiKey), new OpenAIClientOptions { Endpoint = new Uri(BaseUrl, "/v1") });

    public async Task<IReadOnlyList<InvocationRecord>> InvocationsAsync()
    {
        var log = Services.GetRequiredService<IInvocationLog>();
        await log.FlushAsync();
        var page = await log.ListAsync(new InvocationQuery { Limit = 1000 });
        return page.Items;
    }

    /// <summary>
    /// The one row of a request logged off the answer's path (a client that hung up gets no answer to wait for), once
    /// it is there; fails when there are several.
    /// </summary>
    public async Task<InvocationRecord> SingleInvocationAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var records = await InvocationsAsync();
            if (records.Count > 0)
            {
                return Assert.Single(records);
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("the request was never logged");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is harmless in a temp directory.
        }
    }
}
