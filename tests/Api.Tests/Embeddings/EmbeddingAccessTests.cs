using System.Net;
using System.Text.Json.Nodes;

namespace LlmRouter.Api.Tests.Embeddings;

/// <summary>
/// Who may call POST /v1/embeddings, and how much: keys and their allowed models, the model's token window counting
/// input tokens (an estimate reserved, then settled), and hostile bodies, each refused in OpenAI's error shape (oversized
/// bodies and invalid UTF-8: <see cref="HostileInputTests"/>).
/// </summary>
public sealed class EmbeddingAccessTests
{
    private const string EmbedderKey = "sk-test-embedder-4b1e9c2a";
    private const string ChatterKey = "sk-test-chatter-7f3a0d58";

    private const string Keys = $"""
        [[api_keys]]
        name = "embedder"
        key = "{EmbedderKey}"
        allowed_models = ["up/embed"]
        [api_keys.parameter_limits]
        max_tokens = 50

        [[api_keys]]
        name = "chatter"
        key = "{ChatterKey}"
        allowed_models = ["up/chat"]
        """;

    [Fact]
    public async Task No_key_is_401_a_key_without_the_model_403_and_an_allowed_key_gets_no_chat_limits_added()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("openai", fake.BaseUrl, extra: Keys), EmbeddingKit.Environment);
        const string Body = """{"model":"up/embed","input":"hello"}""";

        AccessKit.AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", await AccessKit.PostAsync(router, "/v1/embeddings", Body));
        AccessKit.AssertError(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", await AccessKit.PostAsync(router, "/v1/embeddings", Body, ChatterKey));
        Assert.Empty(fake.Requests);
        var (status, _, _) = await AccessKit.PostAsync(router, "/v1/embeddings", Body, EmbedderKey);

        Assert.Equal(HttpStatusCode.OK, status);
        // The key's max_tokens limit is for chat: an embeddings API refuses a max_tokens field.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"model":"text-embedding-3-small","input":"hello"}"""), fake.Single().Json), fake.Single().Body);
        Assert.Equal("embedder", (await router.InvocationsAsync()).Single(r => r.HttpStatus == 200).ApiKeyName);
    }

    [Fact]
    public async Task The_token_window_reserves_the_input_tokens_and_refuses_a_larger_input_with_429()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("openai", fake.BaseUrl, embedExtra: """
            [models.rate_limit]
            tokens_per_minute = 30
            """), EmbeddingKit.Environment);
        var sixty = string.Join(' ', Enumerable.Repeat("abcdefghi", 6));

        // 60 characters reserve 20 tokens (three characters a token); a chat call would reserve its default max_tokens.
        var (status, _, admitted) = await AccessKit.PostAsync(router, "/v1/embeddings", $$"""{"model":"up/embed","input":"{{sixty[..^1]}}a"}""", remote: false);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("30", admitted.Headers.GetValues("x-ratelimit-limit-tokens").Single());
        Assert.InRange(long.Parse(admitted.Headers.GetValues("x-ratelimit-remaining-tokens").Single(), System.Globalization.CultureInfo.InvariantCulture), 10, 12);

        var refused = await AccessKit.PostAsync(router, "/v1/embeddings", $$"""{"model":"up/embed","input":["{{sixty}}","{{sixty}}"]}""", remote: false);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.NotNull(refused.Body!["error"]!["message"]);
        Assert.Single(fake.Requests);
        var logged = (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();
        Assert.Equal([200, 429], logged.Select(r => r.HttpStatus));
        Assert.Equal(6, logged[0].PromptTokens);
    }

    [Theory]
    [InlineData("""{"model":"up/embed"}""", "input")]
    [InlineData("""{"model":"up/embed","input":""}""", "input")]
    [InlineData("""{"model":"up/embed","input":[]}""", "input")]
    [InlineData("""{"model":"up/embed","input":42}""", "input")]
    [InlineData("""{"model":"up/embed","input":{"text":"hi"}}""", "input")]
    [InlineData("""{"model":"up/embed","input":["hi",3]}""", "input")]
    [InlineData("""{"model":"up/embed","input":[[1,2],["x"]]}""", "input")]
    [InlineData("""{"model":"up/embed","input":[[1.5]]}""", "input")]
    [InlineData("""{"model":"up/embed","input":[[99999999999]]}""", "input")]
    [InlineData("""{"model":"up/embed","input":[[]]}""", "input")]
    [InlineData("""{"model":"up/embed","input":["ok",""]}""", "input")]
    [InlineData("""{"input":"hi"}""", "model")]
    [InlineData("""{"model":7,"input":"hi"}""", "model")]
    [InlineData("""{"model":"up/embed","input":"hi","encoding_format":"hex"}""", "encoding_format")]
    [InlineData("""{"model":"up/embed","input":"hi","encoding_format":1}""", "encoding_format")]
    [InlineData("""{"model":"up/embed","input":"hi","dimensions":0}""", "dimensions")]
    [InlineData("""{"model":"up/embed","input":"hi","dimensions":"4"}""", "dimensions")]
    [InlineData("""{"model":"up/embed","input":"hi","dimensions":2.5}""", "dimensions")]
    [InlineData("""{"model":"up/embed","input":"hi","user":["u"]}""", "user")]
    public async Task Wrong_types_and_shapes_get_400_naming_the_parameter(string body, string param)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("openai", fake.BaseUrl), EmbeddingKit.Environment);

        var error = AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", await AccessKit.PostAsync(router, "/v1/embeddings", body, remote: false));

        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Too_many_inputs_and_a_body_that_is_not_a_json_object_are_refused_and_the_node_keeps_serving()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("openai", fake.BaseUrl), EmbeddingKit.Environment);
        var many = new JsonObject { ["model"] = "up/embed", ["input"] = new JsonArray(Enumerable.Range(0, 2049).Select(_ => (JsonNode)"x").ToArray()) };

        var tooMany = AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", await AccessKit.PostAsync(router, "/v1/embeddings", many.ToJsonString(), remote: false));
        var notObject = await AccessKit.PostAsync(router, "/v1/embeddings", """["up/embed","hi"]""", remote: false);
        var notJson = await AccessKit.PostAsync(router, "/v1/embeddings", """{"model":"up/embed","input":"hi""", remote: false);

        Assert.Contains("2049", tooMany["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notObject.Status);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.All([notObject, notJson], r => Assert.NotNull(r.Body!["error"]!["message"]));
        Assert.Empty(fake.Requests);
        Assert.Equal(HttpStatusCode.OK, (await AccessKit.PostAsync(router, "/v1/embeddings", """{"model":"up/embed","input":"still up"}""", remote: false)).Status);
    }
}
