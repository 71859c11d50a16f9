using System.ClientModel;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.LocalModels;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.LocalModels.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI;
using OpenAI.Embeddings;

namespace LlmRouter.Api.Tests.LocalModels;

/// <summary>
/// <see cref="ILocalModelGrain.EmbedAsync"/> on a node serving the fixture as an embedding model (<c>local/embed</c>,
/// the same file as <c>local/tiny</c>, whose metadata names no pooling: it pools by mean): texts and token arrays,
/// usage from the model's own tokenizer, and the refusals in OpenAI's error shape.
/// </summary>
public sealed class LocalModelEmbeddingTests
{
    private const string EmbedId = "local/embed";

    private static string Toml(int contextSize = 2048) => TinyModel.Toml(extra: $"""
        [[models]]
        name = "embed"
        provider = "local"
        [models.config]
        model_path = '{TinyModel.Path}'
        supports_embeddings = true
        context_size = {contextSize}
        threads = 1
        """);

    private static ILocalModelGrain Grain(RouterHarness router, string model) =>
        router.Services.GetRequiredService<IGrainFactory>().GetGrain<ILocalModelGrain>(LocalModelGrainKey.For(model, null));

    private static int[] Tokens(string text)
    {
        LlamaBackend.EnsureLoaded("cpu", libraryDirectory: null, NullLoggerFactory.Instance);
        using var model = LlamaModel.Load(TinyModel.Path);
        return model.Tokenize(text, addSpecial: true, parseSpecial: false);
    }

    [Fact]
    public async Task Texts_get_unit_vectors_in_input_order_and_usage_counts_the_tokenizers_tokens()
    {
        await using var router = await RouterHarness.StartAsync(Toml());
        var grain = Grain(router, EmbedId);
        string[] texts = ["hello", "the world, the lion", "hello"];

        var answer = await grain.EmbedAsync(new LocalEmbeddingRequest { Texts = texts, Dimensions = 64 });
        var second = await grain.EmbedAsync(new LocalEmbeddingRequest { Texts = ["the world, the lion"] });
        var asTokens = await grain.EmbedAsync(new LocalEmbeddingRequest { Tokens = texts.Select(Tokens).ToArray() });

        Assert.Null(answer.Error);
        Assert.Equal(3, answer.Vectors.Length);
        Assert.All(answer.Vectors, v => Assert.Equal((64, 1.0), (v.Length, Math.Round(Math.Sqrt(v.Sum(x => (double)x * x)), 5))));
        Assert.Equal(new TokenUsage(texts.Sum(t => Tokens(t).Length), 0), answer.Usage);
        Assert.Equal(answer.Vectors[0], answer.Vectors[2]);
        Assert.NotEqual(answer.Vectors[0], answer.Vectors[1]);
        // Alone or batched, up to the rounding of llama.cpp's wider matrix kernels.
        Assert.True(second.Vectors[0].Zip(answer.Vectors[1], (a, b) => Math.Abs(a - b)).Max() < 1e-4);
        Assert.Null(asTokens.Error);
        Assert.Equal(answer.Usage, asTokens.Usage);
        Assert.Equal(answer.Vectors, asTokens.Vectors);
    }

    private static readonly Dictionary<string, LocalEmbeddingRequest> BadRequests = new()
    {
        ["an empty text"] = new() { Texts = ["hello", ""] },
        ["no inputs"] = new() { Texts = [] },
        ["texts and tokens"] = new() { Texts = ["hello"], Tokens = [[1]] },
        ["an empty token array"] = new() { Tokens = [[1], []] },
        ["a token past the vocabulary"] = new() { Tokens = [[1, 100_000]] },
        ["a negative token"] = new() { Tokens = [[1, -1]] },
        ["other dimensions"] = new() { Texts = ["hello"], Dimensions = 32 },
    };

    [Theory]
    [InlineData("an empty text", "input")]
    [InlineData("no inputs", "input")]
    [InlineData("texts and tokens", "input")]
    [InlineData("an empty token array", "input")]
    [InlineData("a token past the vocabulary", "input")]
    [InlineData("a negative token", "input")]
    [InlineData("other dimensions", "dimensions")]
    public async Task Bad_inputs_get_400_naming_the_parameter(string request, string param)
    {
        await using var router = await RouterHarness.StartAsync(Toml());

        var answer = await Grain(router, EmbedId).EmbedAsync(BadRequests[request]);

        AssertRefused(answer.Error, 400, param, "invalid_value");
        Assert.Empty(answer.Vectors);
    }

    [Fact]
    public async Task An_input_longer_than_the_context_gets_context_length_exceeded()
    {
        await using var router = await RouterHarness.StartAsync(Toml(contextSize: 16));

        var answer = await Grain(router, EmbedId).EmbedAsync(new LocalEmbeddingRequest { Texts = ["hello", string.Join(' ', Enumerable.Repeat("lion", 20))] });

        AssertRefused(answer.Error, 400, "input", "context_length_exceeded");
        Assert.Contains("Input 1 is", answer.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_model_refuses_embeddings_and_an_embedding_model_refuses_chat()
    {
        await using var router = await RouterHarness.StartAsync(Toml());
        var chat = new LocalChatRequest { Body = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) }.ToJsonString() };

        var embedding = await Grain(router, TinyModel.Id).EmbedAsync(new LocalEmbeddingRequest { Texts = ["hello"] });
        var completion = await Grain(router, EmbedId).CompleteAsync(chat);

        AssertRefused(embedding.Error, 400, "model", "invalid_value");
        AssertRefused(completion.Error, 400, "model", "invalid_value");
    }

    [Fact]
    public async Task Post_v1_embeddings_serves_the_local_model_through_the_router_and_logs_its_tokens()
    {
        await using var router = await RouterHarness.StartAsync(Toml());
        var client = new EmbeddingClient(EmbedId, new ApiKeyCredential("client-key"), new OpenAIClientOptions { Endpoint = new Uri(router.BaseUrl, "/v1") });
        string[] texts = ["hello", "the world, the lion"];

        var collection = (await client.GenerateEmbeddingsAsync(texts)).Value;
        var direct = await Grain(router, EmbedId).EmbedAsync(new LocalEmbeddingRequest { Texts = texts });

        Assert.Equal(direct.Vectors, collection.Select(e => e.ToFloats().ToArray()));
        var tokens = texts.Sum(t => Tokens(t).Length);
        Assert.Equal(tokens, collection.Usage.InputTokenCount);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal(("/v1/embeddings", "local", "embed", (long)tokens, false), (logged.Endpoint, logged.Provider, logged.Model, logged.PromptTokens, logged.UsageEstimated));
    }

    private static void AssertRefused(LocalModelError? error, int status, string param, string code)
    {
        Assert.NotNull(error);
        Assert.Equal(status, error.Status);
        var body = JsonNode.Parse(error.RawBody!)!["error"]!;
        Assert.Equal(("invalid_request_error", param, code), (body["type"]!.GetValue<string>(), body["param"]!.GetValue<string>(), body["code"]!.GetValue<string>()));
    }
}
