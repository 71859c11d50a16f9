using System.Text;
using System.Text.Json.Nodes;

namespace LlmRouter.Api.Tests.Embeddings;

/// <summary>What the embeddings tests share: a router.toml with an embedding model and a chat model, and a POST that must succeed.</summary>
internal static class EmbeddingKit
{
    public const string UpstreamKey = "sk-upstream-secret";

    public static Dictionary<string, string> Environment => new() { ["FAKE_UPSTREAM_KEY"] = UpstreamKey };

    /// <summary>
    /// Provider <c>up</c> with <c>up/embed</c> (upstream <c>text-embedding-3-small</c>, $1 per 1k input tokens) and
    /// <c>up/chat</c>, which does not embed; <paramref name="embedExtra"/> goes in the embedding model's table.
    /// </summary>
    public static string Single(string type, Uri baseUrl, string? settings = null, string embedExtra = "", string extra = "") => $"""
        [server]
        host = "127.0.0.1"

        [[providers]]
        name = "up"
        type = "{type}"
        api_key_env = "FAKE_UPSTREAM_KEY"
        base_url = "{baseUrl.ToString().TrimEnd('/')}"
        {(settings is null ? "" : "settings = " + settings)}

        [[models]]
        name = "embed"
        provider = "up"
        upstream_model = "text-embedding-3-small"
        {embedExtra}
        [models.config]
        supports_embeddings = true
        cost_per_1k_tokens = 1.0

        [[models]]
        name = "chat"
        provider = "up"
        upstream_model = "chat-model"
        [models.config]
        cost_per_1k_tokens = 1.0

        {extra}
        """;

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
