using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Tests.Embeddings;

/// <summary>
/// POST /v1/embeddings to upstreams of other APIs: Gemini (embedContent for one text, batchEmbedContents for several),
/// Ollama's native /api/embed, and Anthropic, which has no embeddings and is refused before anything is sent. The
/// requests the router sent are asserted exactly; answers come back in OpenAI's shape, floats or base64.
/// </summary>
public sealed class TranslatedEmbeddingsTests
{
    [Fact]
    public async Task Gemini_gets_embedContent_for_one_text_and_usage_is_the_routers_estimate()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("gemini", fake.BaseUrl), EmbeddingKit.Environment);

        var answer = await EmbeddingKit.PostAsync(router, """{"model":"up/embed","input":"twelve chars","dimensions":6}""");

        var sent = fake.Single();
        Assert.Equal(("POST", "/v1beta/models/text-embedding-3-small:embedContent"), (sent.Method, sent.Path));
        Assert.Equal(EmbeddingKit.UpstreamKey, sent.Header("x-goog-api-key"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"content":{"parts":[{"text":"twelve chars"}]},"outputDimensionality":6}"""), sent.Json), sent.Body);
        AssertList(answer, "text-embedding-3-small", ["twelve chars"], width: 6, base64: false);
        // Gemini counts no tokens: 12 characters at four a token.
        Assert.Equal(3, answer["usage"]!["prompt_tokens"]!.GetValue<int>());
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((3L, true, 0.003m, "/v1/embeddings"), (logged.PromptTokens, logged.UsageEstimated, logged.Cost, logged.Endpoint));
    }

    [Fact]
    public async Task Gemini_gets_batchEmbedContents_for_several_texts_and_base64_is_encoded_by_the_router()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("gemini", fake.BaseUrl), EmbeddingKit.Environment);

        var answer = await EmbeddingKit.PostAsync(router, """{"model":"up/embed","input":["first text","second"],"encoding_format":"base64"}""");

        var sent = fake.Single();
        Assert.Equal("/v1beta/models/text-embedding-3-small:batchEmbedContents", sent.Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"requests":[
              {"model":"models/text-embedding-3-small","content":{"parts":[{"text":"first text"}]}},
              {"model":"models/text-embedding-3-small","content":{"parts":[{"text":"second"}]}}]}
            """), sent.Json), sent.Body);
        AssertList(answer, "text-embedding-3-small", ["first text", "second"], width: null, base64: true);
    }

    [Fact]
    public async Task Gemini_refuses_token_arrays_with_400_before_sending()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeGeminiUpstream>();
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("gemini", fake.BaseUrl), EmbeddingKit.Environment);

        using var response = await router.Http.PostAsync("/v1/embeddings", EmbeddingKit.Json("""{"model":"up/embed","input":[[1,2,3]]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("embeds texts only", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Ollama_native_gets_api_embed_and_its_prompt_eval_count_is_the_usage()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        await using var router = await RouterHarness.StartAsync(
            EmbeddingKit.Single("ollama", fake.BaseUrl, settings: """{ api = "native" }"""), EmbeddingKit.Environment);

        var answer = await EmbeddingKit.PostAsync(router, """{"model":"up/embed","input":["why is the sky blue","green grass"],"dimensions":3}""");

        var sent = fake.Single();
        Assert.Equal(("POST", "/api/embed"), (sent.Method, sent.Path));
        Assert.Equal("Bearer " + EmbeddingKit.UpstreamKey, sent.Header("Authorization"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"model":"text-embedding-3-small","input":["why is the sky blue","green grass"],"dimensions":3}
            """), sent.Json), sent.Body);
        AssertList(answer, "text-embedding-3-small", ["why is the sky blue", "green grass"], width: 3, base64: false);
        Assert.Equal(7, answer["usage"]!["prompt_tokens"]!.GetValue<int>());
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((7L, false), (logged.PromptTokens, logged.UsageEstimated));
    }

    [Fact]
    public async Task A_vector_a_float_cannot_hold_is_answered_502_in_openai_shape_and_logged()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        fake.Handler = (http, _) =>
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync("""{"model":"text-embedding-3-small","embeddings":[[0.5,1e39]],"prompt_eval_count":1}""");
        };
        await using var router = await RouterHarness.StartAsync(
            EmbeddingKit.Single("ollama", fake.BaseUrl, settings: """{ api = "native" }"""), EmbeddingKit.Environment);

        using var response = await router.Http.PostAsync("/v1/embeddings", EmbeddingKit.Json("""{"model":"up/embed","input":"hello"}"""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("upstream_error", "upstream_protocol_error"), (error["type"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Error, 502), (logged.Status, logged.HttpStatus));
    }

    [Fact]
    public async Task Plain_ollama_uses_its_openai_compatible_embeddings_endpoint()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeOllamaUpstream>();
        fake.Handler = (http, request) => request.Path == "/v1/embeddings"
            ? FakeOpenAiUpstream.WriteEmbeddingsAsync(http, request.Json)
            : FakeOpenAiUpstream.WriteErrorAsync(http, 404, "invalid_request_error", "not found");
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("ollama", fake.BaseUrl), EmbeddingKit.Environment);

        var answer = await EmbeddingKit.PostAsync(router, """{"model":"up/embed","input":"hello"}""");

        Assert.Equal("/v1/embeddings", fake.Single().Path);
        AssertList(answer, "text-embedding-3-small", ["hello"], width: null, base64: false);
    }

    [Fact]
    public async Task An_anthropic_model_is_refused_with_400_even_when_its_config_claims_embeddings()
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("anthropic", fake.BaseUrl), EmbeddingKit.Environment);

        using var response = await router.Http.PostAsync("/v1/embeddings", EmbeddingKit.Json("""{"model":"up/embed","input":"hello"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("model_not_supported", error["code"]!.GetValue<string>());
        Assert.Contains("Anthropic", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
        Assert.Equal(InvocationStatus.Rejected, Assert.Single(await router.InvocationsAsync()).Status);
    }

    private static void AssertList(JsonNode answer, string model, string[] texts, int? width, bool base64)
    {
        Assert.Equal(("list", model), (answer["object"]!.GetValue<string>(), answer["model"]!.GetValue<string>()));
        var data = answer["data"]!.AsArray();
        Assert.Equal(texts.Length, data.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(("embedding", i), (data[i]!["object"]!.GetValue<string>(), data[i]!["index"]!.GetValue<int>()));
            var embedding = data[i]!["embedding"]!;
            var vector = base64 ? FakeEmbeddings.FromBase64(embedding.GetValue<string>()) : embedding.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            Assert.Equal(FakeEmbeddings.Vector(texts[i], width), vector);
        }
    }
}
