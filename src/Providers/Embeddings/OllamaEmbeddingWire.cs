using LlmRouter.Providers.Ollama;

namespace LlmRouter.Providers.Embeddings;

/// <summary>
/// Ollama's native POST {base}/api/embed: the texts as its <c>input</c> array, <c>dimensions</c> as is; the answer's
/// <c>embeddings</c> in input order and its <c>prompt_eval_count</c> as the input tokens.
/// </summary>
internal sealed class OllamaEmbeddingWire : IEmbeddingWire
{
    public HttpRequestMessage CreateRequest(UpstreamCall call)
    {
        var embedding = EmbeddingCall.Of(call, WireApis.Ollama);
        var body = new JsonObject
        {
            ["model"] = UpstreamModel.Of(call),
            ["input"] = new JsonArray(embedding.Texts.Select(text => (JsonNode)text).ToArray()),
        };
        if (embedding.Dimensions is { } dimensions)
        {
            body["dimensions"] = dimensions;
        }
        var request = WireRequest.Post(OllamaChatProtocol.Url(call.Request.Model.Provider, "/api/embed"), body, call, "application/json");
        WireRequest.AddBearer(request, call.ApiKey);
        return request;
    }

    public UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call)
    {
        var embedding = EmbeddingCall.Of(call, WireApis.Ollama);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (JsonRead.Property(root, "embeddings", JsonValueKind.Array) is not { } embeddings)
        {
            return null;
        }
        var vectors = EmbeddingVectors.ReadAll(embeddings, EmbeddingVectors.Read);
        var usage = JsonRead.Long(root, "prompt_eval_count") is { } prompt ? new TokenUsage(prompt, 0) : (TokenUsage?)null;
        return embedding.Answer(vectors, UpstreamModel.Of(call), usage, Encoding.UTF8.GetString(body), WireApis.Ollama);
    }
}
