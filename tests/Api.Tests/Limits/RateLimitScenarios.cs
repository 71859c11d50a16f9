using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Api.Limits;
using LlmRouter.Tests.Shared;
using OpenAI;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Limits;

/// <summary>
/// Model rate limits seen by a client: admitted calls carry x-ratelimit-* headers, refused ones are OpenAI-shaped 429s
/// with Retry-After that never reach the upstream; token windows hold a reservation until the call is settled; every
/// call is counted once. Run on each store.
/// </summary>
public abstract class RateLimitScenarios : LimitScenarioBase
{
    [StoreFact]
    public async Task Calls_beyond_the_request_window_get_429_with_retry_after_and_never_reach_the_upstream()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await StartAsync(fake, "max_requests = 3\nper_seconds = 3600");
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 3; i++)
        {
            using var admitted = await PostAsync(router, """{"model":"MODEL","messages":[{"role":"user","content":"hi"}]}""");
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
            Assert.Equal("3", Header(admitted, "x-ratelimit-limit-requests"));
            Assert.Equal((2 - i).ToString(CultureInfo.InvariantCulture), Header(admitted, "x-ratelimit-remaining-requests"));
            Assert.NotNull(Header(admitted, "x-ratelimit-reset-requests"));
            Assert.Matches("^limits;dur=[0-9.]+$", Header(admitted, "server-timing"));
            if (i == 0)
            {
                // One request into a fresh window: it is full again after exactly one emission interval, 3600 s / 3.
                Assert.Equal("20m0s", Header(admitted, "x-ratelimit-reset-requests"));
            }
        }

        using var refused = await PostAsync(router, """{"model":"MODEL","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // The first request's slot frees 1200 s after it was admitted.
        Assert.InRange(Seconds(Header(refused, "Retry-After")), 1200 - (long)Math.Ceiling(clock.Elapsed.TotalSeconds), 1200);
        Assert.Equal("0", Header(refused, "x-ratelimit-remaining-requests"));
        Assert.Equal("3", Header(refused, "x-ratelimit-limit-requests"));
        var error = System.Text.Json.Nodes.JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("rate_limit_exceeded", error["code"]!.GetValue<string>());
        Assert.Equal("requests", error["type"]!.GetValue<string>());
        Assert.Contains($"model {Provider}/gpt-test", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, fake.Requests.Count);

        var sdk = new ChatClient($"{Provider}/gpt-test", new ApiKeyCredential("client-key"),
            new OpenAIClientOptions { Endpoint = new Uri(router.BaseUrl, "/v1"), RetryPolicy = new ClientRetryPolicy(0) });
        var thrown = await Assert.ThrowsAsync<ClientResultException>(() => sdk.CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(429, thrown.Status);
        Assert.Equal(3, fake.Requests.Count);
        // The three calls made are logged, and so are the two refused ones: as rejected, naming the window that refused them.
        var logged = await InvocationsAsync(router);
        Assert.Equal(3, logged.Count(r => r.Status == Abstractions.Invocations.InvocationStatus.Success));
        Assert.Equal([("model requests 3 per 3600 s", 429, 0), ("model requests 3 per 3600 s", 429, 0)],
            logged.Where(r => r.Status == Abstractions.Invocations.InvocationStatus.Rejected).Select(r => (r.RefusedBy, r.HttpStatus, r.Attempts)));
    }

    [StoreFact]
    public async Task The_native_invoke_endpoint_shares_the_model_window()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await StartAsync(fake, "max_requests = 1\nper_seconds = 60");
        var clock = Stopwatch.StartNew();

        using var first = await router.Http.PostAsync($"/models/{Provider}/gpt-test/invoke", Json("""{"prompt":"hi"}"""));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("0", Header(first, "x-ratelimit-remaining-requests"));
        using var second = await PostAsync(router, """{"model":"MODEL","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.InRange(Seconds(Header(second, "Retry-After")), 60 - (long)Math.Ceiling(clock.Elapsed.TotalSeconds), 60);
        Assert.Single(fake.Requests);
    }

    [StoreFact]
    public async Task A_token_window_holds_the_reservation_until_the_call_is_settled()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var release = new TaskCompletionSource();
        var held = new TaskCompletionSource();
        fake.Handler = async (http, recorded) =>
        {
            if (fake.Requests.Count == 1)
            {
                held.TrySetResult();
                await release.Task;
            }
            await FakeOpenAiUpstream.WriteCompletionAsync(http, "m", "four words of reply");
        };
        await using var router = await StartAsync(fake, "tokens_per_minute = 120");
        // Each call reserves 60 (max_tokens) + 11 (31 characters of messages, about 3 per token) = 71 tokens; the
        // window holds 120 and refills one token per 0.5 s, so figures are checked up to what elapsed time refilled.
        const string Body = """{"model":"MODEL","max_tokens":60,"messages":[{"role":"user","content":"hi"}]}""";
        var clock = Stopwatch.StartNew();
        long Refilled() => (long)(clock.Elapsed.TotalSeconds / 0.5);

        var first = PostAsync(router, Body);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using (var whileHeld = await PostAsync(router, Body))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, whileHeld.StatusCode);
            Assert.Equal("tokens", System.Text.Json.Nodes.JsonNode.Parse(await whileHeld.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
            Assert.Equal("120", Header(whileHeld, "x-ratelimit-limit-tokens"));
            Assert.InRange(Seconds(Header(whileHeld, "x-ratelimit-remaining-tokens")), 120 - 71, 120 - 71 + Refilled());
            Assert.True(Seconds(Header(whileHeld, "Retry-After")) >= 1);
        }
        release.SetResult();
        using (var done = await first)
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            Assert.InRange(Seconds(Header(done, "x-ratelimit-remaining-tokens")), 120 - 71, 120 - 71 + Refilled());
        }
        await router.Services.GetRequiredService<PendingSettlements>().FlushAsync();

        // Settled at its actual 15 tokens (11 prompt + 4 completion), the first call gave back 56 of its 71.
        using var afterSettlement = await PostAsync(router, Body);
        Assert.Equal(HttpStatusCode.OK, afterSettlement.StatusCode);
        Assert.InRange(Seconds(Header(afterSettlement, "x-ratelimit-remaining-tokens")), 120 - 15 - 71, 120 - 15 - 71 + Refilled());
        Assert.Equal(2, fake.Requests.Count);
    }

    [StoreFact]
    public async Task Usage_counters_match_the_invocation_log_for_plain_streamed_and_abandoned_calls()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var abandon = new TaskCompletionSource();
        fake.Handler = async (http, recorded) =>
        {
            if (recorded.Body.Contains("abandon", StringComparison.Ordinal))
            {
                await FakeOpenAiUpstream.StreamAsync(http, "m", ["first"], includeUsage: true,
                    between: _ => Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted));
                return;
            }
            if (recorded.Json["stream"]?.GetValue<bool>() == true)
            {
                await FakeOpenAiUpstream.StreamAsync(http, "m", ["a", " b", " c"], includeUsage: true, promptTokens: 7);
                return;
            }
            await FakeOpenAiUpstream.WriteCompletionAsync(http, "m", "one two", promptTokens: 9);
        };
        await using var router = await StartAsync(fake, "max_requests = 100\nper_seconds = 60\ntokens_per_minute = 100000");
        var chat = router.OpenAiChat($"{Provider}/gpt-test");

        await chat.CompleteChatAsync([new UserChatMessage("plain")]);
        await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage("streamed")]))
        {
        }
        using (var client = new HttpClient { BaseAddress = router.BaseUrl })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = Json($$"""{"model":"{{Provider}}/gpt-test","stream":true,"messages":[{"role":"user","content":"abandon"}]}"""),
            };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line && !line.Contains("\"first\"", StringComparison.Ordinal))
            {
            }
        }

        var logged = await WaitForAsync(router, 3);
        await router.Services.GetRequiredService<PendingSettlements>().FlushAsync();
        var usage = await router.Services.GetRequiredService<IGrainFactory>().GetGrain<IModelGrain>($"{Provider}/gpt-test").GetUsageAsync();
        Assert.Equal(3, usage.Requests);
        Assert.Equal(logged.Sum(r => r.PromptTokens), usage.PromptTokens);
        Assert.Equal(logged.Sum(r => r.CompletionTokens), usage.CompletionTokens);
        Assert.Equal(logged.Sum(r => r.Cost), usage.CostUsd);
        var abandoned = Assert.Single(logged, r => r.Status == Abstractions.Invocations.InvocationStatus.ClientClosed);
        Assert.Equal(9 + 7 + abandoned.PromptTokens, usage.PromptTokens);
        Assert.Equal(2 + 3 + abandoned.CompletionTokens, usage.CompletionTokens);
    }
}
