using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Embeddings;

/// <summary>What the embeddings tests share: a router.toml with an embedding model and a chat model, and a POST that must succeed.</summary>
internal static class EmbeddingKit
{
    public const string UpstreamKey = UpstreamToml.Key;

    public static Dictionary<string, string> Environment => UpstreamToml.Environment;

    /// <summary>
    /// Provider <c>up</c> with <c>up/embed</c> (upstream <c>text-embedding-3-small</c>, $1 per 1k input tokens) and
    /// <c>up/chat</c>, which does not embed; <paramref name="embedExtra"/> goes in the embedding model's table.
    /// </summary>
    public static string Single(string type, Uri baseUrl, string? settings = null, string embedExtra = "", string extra = "") =>
        UpstreamToml.Single(type, baseUrl, "text-embedding-3-small", model: "embed", settings: settings, modelExtra: embedExtra,
            config: "supports_embeddings = true", extra: $"""
                [[models]]
                name = "chat"
                provider = "up"
                upstream_model = "chat-model"

                {extra}
                """);

    /// <summary>POSTs <paramref name="body"/> to /v1/embeddings and returns the successful answer.</summary>
    public static async Task<JsonNode> PostAsync(RouterHarness router, string body)
    {
        using var response = await router.Http.PostAsync("/v1/embeddings", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
