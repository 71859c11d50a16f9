using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using OpenAI.Chat;

namespace LlmRouter.Console.Tests.Infrastructure;

/// <summary>
/// A node that has served a known mix of calls, for the console to show: 11 plain and 1 streamed call to fake/gpt-test,
/// 5 local and 3 admin-key calls to other/small, and 2 calls fake/gpt-test's upstream failed. Every successful call
/// is 11 prompt + 5 completion tokens, so the figures below follow from the prices.
/// </summary>
public sealed class ConsoleTraffic : IAsyncLifetime
{
    public const int Requests = 22;
    public const int Failed = 2;
    public const int GptTestCalls = 12;
    public const int SmallCalls = 8;
    public const int AdminKeyCalls = 3;
    public const long TokensPerCall = 16;
    public const decimal GptTestCallCost = 0.013m;   // 11 × 0.5 / 1000 + 5 × 1.5 / 1000
    public const decimal SmallCallCost = 0.0021m;    // 11 × 0.1 / 1000 + 5 × 0.2 / 1000
    public const decimal TotalCost = GptTestCalls * GptTestCallCost + SmallCalls * SmallCallCost;
    public const long TotalTokens = (GptTestCalls + SmallCalls) * TokensPerCall;

    public const string AdminKey = AccessKit.AdminKey;
    public const string UserKey = AccessKit.UserKey;

    public FakeOpenAiUpstream Fake { get; private set; } = null!;
    public RouterHarness Router { get; private set; } = null!;
    public DateTimeOffset Began { get; private set; }

    public static string Toml(Uri upstream, string extra = "") => RouterHarness.Toml(upstream, extra: $"""
        [[providers]]
        name = "other"
        type = "deepseek"
        api_key_env = "FAKE_UPSTREAM_KEY"
        base_url = "{upstream.ToString().TrimEnd('/')}"

        [[models]]
        name = "small"
        provider = "other"
        display_name = "Small Model"
        tags = ["chat", "cheap"]
        [models.config]
        context_window = "32k"
        supports_vision = true
        languages = ["zh", "en"]
        cost_per_1k_tokens = 0.1
        cost_per_1k_completion_tokens = 0.2

        [[api_keys]]
        name = "admin"
        key_env = "TEST_ADMIN_KEY"
        role = "admin"

        [[api_keys]]
        name = "user"
        key_env = "TEST_USER_KEY"

        {extra}
        """);

    /// <summary>
    /// Starts a node on the fake, with <paramref name="extra"/> added to its router.toml; "fail" as the last message
    /// gets an upstream 500, anything else the fake's reply.
    /// </summary>
    public static async Task<(FakeOpenAiUpstream Fake, RouterHarness Router)> StartNodeAsync(string extra = "")
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, request) =>
            request.Json["messages"]![0]!["content"]!.GetValue<string>() == "fail"
                ? FakeOpenAiUpstream.WriteErrorAsync(http, 500, "server_error", "The upstream fell over")
                : Answer(http, request);
        try
        {
            var router = await RouterHarness.StartAsync(Toml(fake.BaseUrl, extra), AccessKit.Environment());
            return (fake, router);
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
    }

    private static Task Answer(HttpContext http, RecordedRequest request)
    {
        var json = request.Json;
        var model = json["model"]!.GetValue<string>();
        var pieces = FakeOpenAiUpstream.SplitWords("Hello from the fake upstream");
        return json["stream"]?.GetValue<bool>() == true
            ? FakeOpenAiUpstream.StreamAsync(http, model, pieces, json["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
            : FakeOpenAiUpstream.WriteCompletionAsync(http, model, "Hello from the fake upstream");
    }

    public async Task InitializeAsync()
    {
        (Fake, Router) = await StartNodeAsync();
        Began = DateTimeOffset.UtcNow;
        for (var i = 0; i < GptTestCalls - 1; i++)
        {
            await Router.OpenAiChat("fake/gpt-test").CompleteChatAsync([new UserChatMessage($"plain {i}")]);
        }
        await PostAsync("""{"model":"fake/gpt-test","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"stream please"}]}""", HttpStatusCode.OK);
        for (var i = 0; i < SmallCalls - AdminKeyCalls; i++)
        {
            await Router.OpenAiChat("other/small").CompleteChatAsync([new UserChatMessage($"small {i}")]);
        }
        for (var i = 0; i < AdminKeyCalls; i++)
        {
            await AccessKit.OpenAiChat(Router, "other/small", AdminKey).CompleteChatAsync([new UserChatMessage($"admin {i}")]);
        }
        for (var i = 0; i < Failed; i++)
        {
            // Plain HTTP: the SDK would retry a 500 and log more calls than we count.
            await PostAsync("""{"model":"fake/gpt-test","messages":[{"role":"user","content":"fail"}]}""", HttpStatusCode.BadGateway, HttpStatusCode.InternalServerError);
        }
        Assert.Equal(Requests, (await Router.InvocationsAsync()).Count);
    }

    private async Task PostAsync(string body, params HttpStatusCode[] expected)
    {
        using var response = await Router.Http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        await response.Content.ReadAsStringAsync();
        Assert.Contains(response.StatusCode, expected);
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
