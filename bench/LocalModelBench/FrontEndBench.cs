using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.LocalModels.Bench;

/// <summary>
/// Two nodes of one cluster on loopback (PostgreSQL named by <see cref="DatabaseVariable"/>, a throwaway database): a
/// gpu silo hosting the fixture and an <c>api</c> front-end whose calls reach the model's grain on it through Orleans.
/// The same small call (8 generated tokens) is timed served by the gpu silo's own HTTP API, through the front-end,
/// and through the front-end with a session (one grain activation for the session).
/// </summary>
internal static class FrontEndBench
{
    public const string DatabaseVariable = "LLM_ROUTER_BENCH_POSTGRES";

    public static async Task RunAsync(string modelPath, string directory, BenchSettings settings)
    {
        if (Environment.GetEnvironmentVariable(DatabaseVariable) is not { Length: > 0 } databaseUrl)
        {
            Console.WriteLine($"[5/5] skipped: a front-end needs PostgreSQL; set {DatabaseVariable}=postgresql://… (a throwaway database)");
            return;
        }
        var toml = Path.Combine(directory, "router.toml");
        await File.WriteAllTextAsync(toml, $"""
            [[providers]]
            name = "local"
            type = "llamacpp"

            [[models]]
            name = "tiny"
            provider = "local"
            [models.config]
            model_path = '{modelPath}'
            context_size = 1024
            threads = {settings.Threads}
            """);
        Console.WriteLine("[5/5] starting a gpu silo and an api front-end on one PostgreSQL");
        await using var gpu = await StartAsync(directory, toml, databaseUrl, "bench-gpu", "gpu");
        await using var api = await StartAsync(directory, toml, databaseUrl, "bench-api", "api");
        try
        {
            await MeasureAsync(gpu, api, settings);
        }
        finally
        {
            await api.StopAsync();
            await gpu.StopAsync();
        }
    }

    private static async Task MeasureAsync(WebApplication gpu, WebApplication api, BenchSettings settings)
    {
        using var gpuHttp = new HttpClient { BaseAddress = Address(gpu) };
        using var apiHttp = new HttpClient { BaseAddress = Address(api) };
        await WaitUntilServedAsync(apiHttp);
        Console.WriteLine("      warming up (10 calls each way)");
        foreach (var http in new[] { gpuHttp, apiHttp })
        {
            for (var i = 0; i < 10; i++)
            {
                using var response = await http.PostAsJsonAsync("/v1/chat/completions", Body("warm-up"));
                response.EnsureSuccessStatusCode();
            }
        }

        var direct = await TimeAsync("served by the gpu silo itself", gpuHttp, settings.Requests, session: false);
        var forwarded = await TimeAsync("through the api front-end", apiHttp, settings.Requests, session: false);
        var affine = await TimeAsync("through it, with a session", apiHttp, settings.Requests, session: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"      front-end overhead (median): {forwarded - direct:F2} ms; with a session: {affine - direct:F2} ms"));
    }

    private static async Task<WebApplication> StartAsync(string directory, string toml, string databaseUrl, string nodeId, string roles)
    {
        var app = await RouterNode.BuildAsync(new RouterNodeOptions
        {
            WorkingDirectory = directory,
            Environment = new RouterEnvironment(new Dictionary<string, string>
            {
                ["LLM_ROUTER_HOST"] = "127.0.0.1",
                ["LLM_ROUTER_PORT"] = "0",
                ["LLM_ROUTER_LOG_LEVEL"] = "WARNING",
                ["LLM_ROUTER_NODE_ID"] = nodeId,
                ["LLM_ROUTER_ROLES"] = roles,
                ["LLM_ROUTER_MODEL_CONFIG"] = toml,
                ["LLM_ROUTER_DATABASE_URL"] = databaseUrl,
            }),
        });
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Waits until the front-end reaches the model's grain on the gpu silo (the model loaded there).</summary>
    private static async Task WaitUntilServedAsync(HttpClient api)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await api.PostAsJsonAsync("/v1/chat/completions", Body(session: null));
            if (response.IsSuccessStatusCode)
            {
                Console.WriteLine($"      the front-end reaches the model after {clock.Elapsed.TotalSeconds:F1} s");
                return;
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("the GPU node never served the model: " + await response.Content.ReadAsStringAsync());
            }
            await Task.Delay(200);
        }
    }

    private static async Task<double> TimeAsync(string label, HttpClient http, int requests, bool session)
    {
        var latencies = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("/v1/chat/completions", Body(session ? "bench-session" : null));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        var sorted = latencies.Order().ToArray();
        var median = EngineBench.Median(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"      {label,-32} p50 {median,7:F2} ms   p90 {sorted[(int)(sorted.Length * 0.9)],7:F2} ms   ({requests} calls, 8 tokens each)"));
        return median;
    }

    private static JsonObject Body(string? session)
    {
        var body = new JsonObject
        {
            ["model"] = "local/tiny",
            ["max_tokens"] = 8,
            ["temperature"] = 0,
            ["logit_bias"] = new JsonObject { ["2"] = -100 },
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello world" }),
        };
        if (session is not null)
        {
            body["user"] = session;
        }
        return body;
    }
}
