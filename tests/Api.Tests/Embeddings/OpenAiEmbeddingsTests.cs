using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Monitoring;
using OpenAI;
using OpenAI.Embeddings;

namespace LlmRouter.Api.Tests.Embeddings;

/// <summary>
/// POST /v1/embeddings with the official OpenAI SDK and raw HTTP, to an OpenAI-compatible upstream: the request goes
/// out as the client sent it (model set by routing), the answer comes back as is, and the call is logged, priced and
/// counted like a chat call.
/// </summary>
public sealed class OpenAiEmbeddingsTests
{
    private static EmbeddingClient Client(RouterHarness router, string model = "up/embed") =>
        new(model, new ApiKeyCredential("client-key"), new OpenAIClientOptions { Endpoint = new Uri(router.BaseUrl, "/v1") });

    private static async Task<(FakeOpenAiUpstream, RouterHarness)> StartAsync(string embedExtra = "", string extra = "")
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        return (fake, await RouterHarness.StartAsync(EmbeddingKit.Single("openai", fake.BaseUrl, embedExtra: embedExtra, extra: extra), EmbeddingKit.Environment));
    }

    [Fact]
    public async Task The_sdk_gets_one_vector_per_input_in_order_and_the_upstream_gets_the_request_as_sent()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        string[] inputs = ["the quick brown fox", "jumps", "over the lazy dog"];

        var collection = (await Client(router).GenerateEmbeddingsAsync(inputs, new EmbeddingGenerationOptions { Dimensions = 4, EndUserId = "user-7" })).Value;

        Assert.Equal(inputs.Length, collection.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(i, collection[i].Index);
            Assert.Equal(FakeEmbeddings.Vector(inputs[i], 4), collection[i].ToFloats().ToArray());
        }
        Assert.Equal((9, 9), (collection.Usage.InputTokenCount, collection.Usage.TotalTokenCount));
        var sent = fake.Single();
        Assert.Equal(("POST", "/v1/embeddings"), (sent.Method, sent.Path));
        Assert.Equal("Bearer " + EmbeddingKit.UpstreamKey, sent.Header("Authorization"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"input":["the quick brown fox","jumps","over the lazy dog"],"model":"text-embedding-3-small","encoding_format":"base64","dimensions":4,"user":"user-7"}
            """), sent.Json), sent.Body);
    }

    [Fact]
    public async Task Float_and_base64_answers_carry_the_same_vectors_and_the_log_keeps_tokens_cost_and_endpoint()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var floats = await EmbeddingKit.PostAsync(router, """{"model":"up/embed","input":"one two three","encoding_format":"float"}""");
        var base64 = await EmbeddingKit.PostAsync(router, """{"model":"up/embed","input":["one two three"],"encoding_format":"base64"}""");
        var tokens = await EmbeddingKit.PostAsync(router, """{"model":"up/embed","input":[[1,2,3,4,5]]}""");

        var expected = FakeEmbeddings.Vector("one two three");
        Assert.Equal(expected, floats["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray());
        Assert.Equal(expected, FakeEmbeddings.FromBase64(base64["data"]![0]!["embedding"]!.GetValue<string>()));
        Assert.Equal(5, tokens["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal([1, 2, 3, 4, 5], fake.Requests.Last().Json["input"]![0]!.AsArray().Select(t => t!.GetValue<int>()));
        var logged = (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();
        Assert.Equal(3, logged.Length);
        Assert.All(logged, r => Assert.Equal(("/v1/embeddings", "openai", "up", "embed", InvocationStatus.Success, 0L, false),
            (r.Endpoint, r.ClientFormat, r.Provider, r.Model, r.Status, r.CompletionTokens, r.UsageEstimated)));
        Assert.Equal([3L, 3L, 5L], logged.Select(r => r.PromptTokens));
        Assert.Equal([0.003m, 0.003m, 0.005m], logged.Select(r => r.Cost));

        using var metrics = await router.Http.GetAsync("/metrics");
        var samples = PrometheusSamples.Parse(await metrics.Content.ReadAsStringAsync());
        Assert.Equal(3, samples.Value("llm_router_requests_total", ("provider", "up"), ("model", "embed"), ("status", "success")));
        Assert.Equal(11, samples.Value("llm_router_tokens_total", ("provider", "up"), ("model", "embed"), ("kind", "prompt")));
    }

    [Fact]
    public async Task A_model_that_does_not_embed_is_refused_with_400_and_nothing_goes_upstream()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        using var response = await router.Http.PostAsync("/v1/embeddings", EmbeddingKit.Json("""{"model":"up/chat","input":"hi"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("invalid_request_error", "model", "model_not_supported"),
            (error["type"]!.GetValue<string>(), error["param"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.Contains("supports_embeddings", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
        var refused = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Rejected, 400, "/v1/embeddings"), (refused.Status, refused.HttpStatus, refused.Endpoint));
    }

    [Fact]
    public async Task Fallbacks_skip_a_model_that_does_not_embed_and_replace_a_failing_one()
    {
        var (fake, router) = await StartAsync(embedExtra: """fallbacks = ["up/chat", "up/embed-b"]""", extra: """
            [[models]]
            name = "embed-b"
            provider = "up"
            upstream_model = "embedding-b"
            [models.config]
            supports_embeddings = true
            """);
        await using var _ = fake;
        await using var __ = router;
        fake.Handler = (http, request) => request.Json["model"]!.GetValue<string>() == "text-embedding-3-small"
            ? FakeOpenAiUpstream.WriteErrorAsync(http, 503, "server_error", "overloaded")
            : FakeOpenAiUpstream.WriteEmbeddingsAsync(http, request.Json);

        var answer = await EmbeddingKit.PostAsync(router, """{"model":"up/embed","input":"hello there"}""");

        Assert.Equal("embedding-b", answer["model"]!.GetValue<string>());
        // The failing model is retried by its provider's resilience first; up/chat, which does not embed, is never called.
        Assert.Equal(["text-embedding-3-small", "embedding-b"], fake.Requests.Select(r => r.Json["model"]!.GetValue<string>()).Distinct());
        var logged = (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();
        Assert.Equal([("embed", InvocationStatus.Error), ("embed-b", InvocationStatus.Success)], logged.Select(r => (r.Model, r.Status)));
        Assert.All(logged, r => Assert.Equal("/v1/embeddings", r.Endpoint));
        Assert.NotNull(logged[0].CallId);
        Assert.Equal(logged[0].CallId, logged[1].CallId);
    }

    [Fact]
    public async Task A_client_hanging_up_during_the_call_cancels_it_and_it_is_logged_once()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var arrived = new TaskCompletionSource();
        var upstreamAborted = new TaskCompletionSource();
        fake.Handler = async (http, request) =>
        {
            http.RequestAborted.Register(() => upstreamAborted.TrySetResult());
            arrived.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        };

        using (var client = new HttpClient { BaseAddress = router.BaseUrl })
        {
            using var hangUp = new CancellationTokenSource();
            var call = client.PostAsync("/v1/embeddings", EmbeddingKit.Json("""{"model":"up/embed","input":"hello"}"""), hangUp.Token);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await hangUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        await upstreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var logged = await router.SingleInvocationAsync();
        Assert.Equal((InvocationStatus.ClientClosed, 499, "/v1/embeddings"), (logged.Status, logged.HttpStatus, logged.Endpoint));
        Assert.Single(fake.Requests);
    }
}
