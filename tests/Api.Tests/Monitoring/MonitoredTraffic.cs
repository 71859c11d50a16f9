using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>
/// One node that has served a known mix of calls, shared by the monitoring tests: a plain SDK call, a stream whose
/// client asked for usage, a stream whose client did not, a native invoke, a stream the client abandoned after the
/// first chunk, and a call the upstream failed. The expected figures follow from the prices and the fake's token counts.
/// </summary>
public sealed class MonitoredTraffic : IAsyncLifetime
{
    public const string NodeId = "monitor-node";

    // Prices: fake/gpt-test 0.5 and 1.5 USD per 1k prompt/completion tokens; other/small 0.1 and 0.2. Every call's prompt is 11 tokens.
    public const decimal PlainCost = 0.013m;          // 11 prompt + 5 completion on gpt-test
    public const decimal StreamUsageCost = 0.0115m;   // 11 + 4 on gpt-test
    public const decimal StreamBareCost = 0.0015m;    // 11 + 2 on small
    public const decimal NativeCost = 0.0021m;        // 11 + 5 on small
    public const decimal AbandonedCost = 0.002m;      // estimated 1 + 1 on gpt-test: "hang" is one prompt token, one chunk arrived
    public const decimal TotalCost = PlainCost + StreamUsageCost + StreamBareCost + NativeCost + AbandonedCost;
    public const decimal GptTestCost = PlainCost + StreamUsageCost + AbandonedCost;
    public const decimal SmallCost = StreamBareCost + NativeCost;

    public FakeOpenAiUpstream Fake { get; private set; } = null!;
    public RouterHarness Router { get; private set; } = null!;
    public DateTimeOffset Began { get; private set; }
    public DateTimeOffset Ended { get; private set; }

    /// <summary>The SSE events the client read from the stream that asked for usage, and from the one that did not.</summary>
    public IReadOnlyList<string> UsageStreamEvents { get; private set; } = [];
    public IReadOnlyList<string> BareStreamEvents { get; private set; } = [];

    public static string Toml(Uri upstream) => $"""
        [server]
        host = "127.0.0.1"

        [[providers]]
        name = "fake"
        type = "openai"
        api_key_env = "FAKE_UPSTREAM_KEY"
        base_url = "{upstream.ToString().TrimEnd('/')}"

        [[providers]]
        name = "other"
        type = "openai"
        base_url = "{upstream.ToString().TrimEnd('/')}"

        [[models]]
        name = "gpt-test"
        provider = "fake"
        upstream_model = "gpt-4o-mini-2024-07-18"
        [models.config]
        cost_per_1k_tokens = 0.5
        cost_per_1k_completion_tokens = 1.5

        [[models]]
        name = "small"
        provider = "other"
        [models.config]
        cost_per_1k_tokens = 0.1
        cost_per_1k_completion_tokens = 0.2
        """;

    /// <summary>Answers by the last message's text: "fail" gets a 500, "hang" streams one chunk and then waits for the client to leave.</summary>
    public static Task HandleAsync(HttpContext http, RecordedRequest request)
    {
        var body = request.Json;
        var model = body["model"]!.GetValue<string>();
        var text = body["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
        var stream = body["stream"]?.GetValue<bool>() == true;
        var includeUsage = body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        return text switch
        {
            "fail" => FakeOpenAiUpstream.WriteErrorAsync(http, 500, "server_error", "The upstream fell over"),
            "hang" => FakeOpenAiUpstream.StreamAsync(http, model, ["first", " never"], includeUsage,
                between: _ => Task.Delay(TimeSpan.FromSeconds(60), http.RequestAborted)),
            _ when stream => FakeOpenAiUpstream.StreamAsync(http, model, FakeOpenAiUpstream.SplitWords(Reply(text)), includeUsage),
            _ => FakeOpenAiUpstream.WriteCompletionAsync(http, model, Reply(text)),
        };
    }

    private static string Reply(string prompt) => prompt switch
    {
        "stream-usage" => "one two three four",
        "stream-bare" => "x y",
        _ => "Hello from the fake upstream",
    };

    public async Task InitializeAsync()
    {
        Fake = await FakeOpenAiUpstream.StartAsync();
        Fake.Handler = HandleAsync;
        Router = await RouterHarness.StartAsync(Toml(Fake.BaseUrl), new Dictionary<string, string>
        {
            ["FAKE_UPSTREAM_KEY"] = "sk-upstream-secret",
            ["LLM_ROUTER_NODE_ID"] = NodeId,
        });
        Began = DateTimeOffset.UtcNow;

        var plain = (await Router.OpenAiChat("fake/gpt-test").CompleteChatAsync([new UserChatMessage("plain")])).Value;
        Assert.Equal("Hello from the fake upstream", plain.Content[0].Text);

        UsageStreamEvents = await ReadSseAsync(
            """{"model":"fake/gpt-test","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"stream-usage"}]}""");
        BareStreamEvents = await ReadSseAsync("""{"model":"other/small","stream":true,"messages":[{"role":"user","content":"stream-bare"}]}""");

        using (var native = await Router.Http.PostAsync("/models/other/small/invoke",
            new StringContent("""{"prompt":"native"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        }

        await AbandonStreamAsync();
        await WaitForInvocationsAsync(5);

        using (var failed = await Router.Http.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"fake/gpt-test","messages":[{"role":"user","content":"fail"}]}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }
        await Router.Services.GetRequiredService<IInvocationLog>().FlushAsync();
        Ended = DateTimeOffset.UtcNow;
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Router.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<List<string>> ReadSseAsync(string body)
    {
        using var response = await Router.Http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
    }

    private async Task AbandonStreamAsync()
    {
        using var client = new HttpClient { BaseAddress = Router.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"fake/gpt-test","stream":true,"messages":[{"role":"user","content":"hang"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string? line;
        do
        {
            line = await reader.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.Contains("\"first\"", StringComparison.Ordinal));
        Assert.NotNull(line);
    }

    private async Task WaitForInvocationsAsync(int count)
    {
        var log = Router.Services.GetRequiredService<IInvocationLog>();
        for (var i = 0; i < 200; i++)
        {
            await log.FlushAsync();
            if ((await log.ListAsync(new InvocationQuery { Limit = 1 })).Total >= count)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the log never held {count} invocations");
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
