using System.Net;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Embeddings;

/// <summary>
/// Which models embed, as clients see it: <c>capabilities.supports_embeddings</c> in /v1/models and /models, and a
/// model created over the REST catalog with <c>config.supports_embeddings</c> serves /v1/embeddings.
/// </summary>
public sealed class EmbeddingCatalogTests
{
    [Fact]
    public async Task Model_lists_show_which_models_embed()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(EmbeddingKit.Single("openai", fake.BaseUrl), EmbeddingKit.Environment);

        var openAi = await SendAsync(router, HttpMethod.Get, "/v1/models", remote: false);
        var native = await SendAsync(router, HttpMethod.Get, "/models", remote: false);

        foreach (var models in new[] { openAi.Body!["data"]!.AsArray(), native.Body!.AsArray() })
        {
            Assert.Equal([("up/embed", true), ("up/chat", false)],
                models.Select(m => (m!["id"]!.GetValue<string>(), m["capabilities"]!["supports_embeddings"]!.GetValue<bool>())));
        }
    }

    [Fact]
    public async Task A_model_created_over_rest_with_supports_embeddings_serves_embeddings()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(AccessKit.Toml(fake.BaseUrl), AccessKit.Environment());
        const string Body = """{"model":"fake/embedder","input":"hello"}""";

        var (status, created, _) = await PostAsync(router, "/models",
            """{"name":"embedder","provider":"fake","upstream_model":"text-embedding-3-large","config":{"supports_embeddings":true}}""", AdminKey);
        var embedded = await PostAsync(router, "/v1/embeddings", Body, UserKey);
        await SendAsync(router, HttpMethod.Patch, "/models/fake/embedder", """{"config":{"supports_embeddings":false}}""", AdminKey);
        var refused = await PostAsync(router, "/v1/embeddings", Body, UserKey);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.True(created!["config"]!["supports_embeddings"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, embedded.Status);
        Assert.Equal("text-embedding-3-large", fake.Single().Json["model"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("model_not_supported", refused.Body!["error"]!["code"]!.GetValue<string>());
    }
}
