using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>
/// Routing test setup: one fake OpenAI upstream that answers each model by name ("from {model}", so a test sees
/// who served), a router.toml with those models on provider "fake", an admin and a user key, and helpers.
/// </summary>
public static class RoutingKit
{
    public const string AdminKey = "sk-routing-admin-4b9e21";
    public const string UserKey = "sk-routing-user-7f03c8";

    private const string NoResilience = "{ max_retries = 0, circuit_breaker = false }";

    public static Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string>
        {
            ["FAKE_UPSTREAM_KEY"] = AccessKit.UpstreamKey,
            ["ROUTING_ADMIN_KEY"] = AdminKey,
            ["ROUTING_USER_KEY"] = UserKey,
        };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }
        return variables;
    }

    /// <summary>
    /// Provider "fake" on <paramref name="upstream"/> with one model per name, the two keys, then <paramref name="extra"/>
    /// (where <c>{upstream}</c> stands for the fake's base URL).
    /// </summary>
    public static string Toml(Uri upstream, string[] models, string extra = "")
    {
        var baseUrl = upstream.ToString().TrimEnd('/');
        var text = new StringBuilder($"""
            [server]
            host = "127.0.0.1"

            [[providers]]
            name = "fake"
            type = "openai"
            api_key_env = "FAKE_UPSTREAM_KEY"
            base_url = "{baseUrl}"
            # Tests count every call the router makes: no retries, no breaker (FallbackTests cover both).
            settings = {NoResilience}

            [[api_keys]]
            name = "admin"
            key_env = "ROUTING_ADMIN_KEY"
            role = "admin"

            [[api_keys]]
            name = "user"
            key_env = "ROUTING_USER_KEY"

            """);
        foreach (var model in models)
        {
            text.Append($"""

                [[models]]
                name = "{model}"
                provider = "fake"

                """);
        }
        return text.Append('\n').Append(extra.Replace("{upstream}", baseUrl, StringComparison.Ordinal)).ToString();
    }

    public static async Task<(FakeOpenAiUpstream Fake, RouterHarness Router)> StartAsync(
        string[] models, string extra = "", Dictionary<string, Func<HttpContext, RecordedRequest, Task>>? script = null, params (string Name, string Value)[] environment)
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = ByModel(script ?? []);
        try
        {
            return (fake, await RouterHarness.StartAsync(Toml(fake.BaseUrl, models, extra), Environment(environment)));
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
    }

    /// <summary>Answers "from {model}" (whole or streamed), unless <paramref name="script"/> says otherwise for that upstream model.</summary>
    public static Func<HttpContext, RecordedRequest, Task> ByModel(Dictionary<string, Func<HttpContext, RecordedRequest, Task>> script) => (http, request) =>
    {
        var json = request.Json;
        var model = json["model"]!.GetValue<string>();
        if (script.TryGetValue(model, out var handler))
        {
            return handler(http, request);
        }
        return json["stream"]?.GetValue<bool>() == true
            ? FakeOpenAiUpstream.StreamAsync(http, model, ["from", " " + model], includeUsage: json["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
            : FakeOpenAiUpstream.WriteCompletionAsync(http, model, "from " + model);
    };

    /// <summary>The upstream models the fake was asked for, in order.</summary>
    public static string[] Called(FakeOpenAiUpstream fake) => fake.Requests.Select(r => r.Json["model"]!.GetValue<string>()).ToArray();

    /// <summary>Waits (on the upstream's side) until the call's request is aborted or a long time passed.</summary>
    public static async Task HangAsync(HttpContext http)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The router gave up on the call: what the test wanted.
        }
    }

    public static ChatClient Chat(RouterHarness router, string model, string apiKey = "unused-local") =>
        new(model, new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(router.BaseUrl, "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(60),
            // The SDK would retry 429 and 5xx itself; the tests count every call the router makes.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    /// <summary>One chat call through the official SDK; answers the text the router returned.</summary>
    public static async Task<string> AskAsync(RouterHarness router, string model, string text = "hi")
    {
        ChatCompletion completion = await Chat(router, model).CompleteChatAsync([new UserChatMessage(text)]);
        return completion.Content[0].Text;
    }

    /// <summary>A local request (no credential needed under the localhost rule; admin rights).</summary>
    public static Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> LocalAsync(
        RouterHarness router, HttpMethod method, string path, string? body = null) =>
        AccessKit.SendAsync(router, method, path, body, remote: false);

    /// <summary>A remote request with an API key, as through a reverse proxy.</summary>
    public static Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> AsKeyAsync(
        RouterHarness router, string key, HttpMethod method, string path, string? body = null) =>
        AccessKit.SendAsync(router, method, path, body, credential: key);

    /// <summary>Waits until this node counts no call in flight to <paramref name="model"/> (GET /router/metrics).</summary>
    public static async Task WaitIdleAsync(RouterHarness router, string model)
    {
        for (var i = 0; i < 200; i++)
        {
            var (_, metrics, _) = await LocalAsync(router, HttpMethod.Get, "/router/metrics");
            if (metrics!["models"]!.AsArray().Single(m => m!["model"]!.GetValue<string>() == model)!["in_flight"]!.GetValue<int>() == 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"{model} still has calls in flight");
    }

    public static async Task<JsonNode> StatusAsync(RouterHarness router) =>
        (await AsKeyAsync(router, UserKey, HttpMethod.Get, "/router/status")).Body!;

    /// <summary>Polls the status until routing is in the given state (the delay is a few seconds at most).</summary>
    public static async Task WaitEnabledAsync(RouterHarness router, bool enabled)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((await StatusAsync(router))["enabled"]!.GetValue<bool>() == enabled)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"routing did not turn {(enabled ? "on" : "off")}");
    }

    public static string ChatBody(string model, string text = "hi", bool stream = false) => new JsonObject
    {
        ["model"] = model,
        ["stream"] = stream,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
    }.ToJsonString();
}
