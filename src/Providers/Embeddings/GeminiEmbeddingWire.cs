using LlmRouter.Providers.Gemini;

namespace LlmRouter.Providers.Embeddings;

/// <summary>
/// Gemini's embeddings: one text to POST {base}/{version}/models/{model}:embedContent, several to :batchEmbedContents
/// (one request per text, in order); <c>dimensions</c> becomes <c>outputDimensionality</c>. Gemini reports no token
/// count, so usage is the router's estimate.
/// </summary>
internal sealed class GeminiEmbeddingWire : IEmbeddingWire
{
    public HttpRequestMessage CreateRequest(UpstreamCall call)
    {
        var embedding = EmbeddingCall.Of(call, WireApis.Gemini);
        var model = GeminiProtocol.Model(call);
        JsonObject body;
        string method;
        if (embedding.Texts.Length == 1)
        {
            (body, method) = (Request(embedding.Texts[0], embedding.Dimensions, model: null), "embedContent");
        }
        else
        {
            var requests = new JsonArray(embedding.Texts.Select(text => (JsonNode)Request(text, embedding.Dimensions, "models/" + model)).ToArray());
            (body, method) = (new JsonObject { ["requests"] = requests }, "batchEmbedContents");
        }
        var request = WireRequest.Post(GeminiProtocol.Url(call, model, method), body, call, "application/json");
        WireRequest.AddKey(request, "x-goog-api-key", call.ApiKey);
        return request;
    }

    public UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call)
    {
        var embedding = EmbeddingCall.Of(call, WireApis.Gemini);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        List<float[]>? vectors = null;
        if (JsonRead.Property(root, "embedding", JsonValueKind.Object) is { } one)
        {
            vectors = EmbeddingVectors.Read(one, "values") is { } vector ? [vector] : null;
        }
        else if (JsonRead.Property(root, "embeddings", JsonValueKind.Array) is { } several)
        {
            vectors = EmbeddingVectors.ReadAll(several, e => EmbeddingVectors.Read(e, "values"));
        }
        return embedding.Answer(vectors, UpstreamModel.Of(call), usage: null, Encoding.UTF8.GetString(body), WireApis.Gemini);
    }

    private static JsonObject Request(string text, int? dimensions, string? model)
    {
        var request = new JsonObject();
        if (model is not null)
        {
            request["model"] = model;
        }
        request["content"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = text }) };
        if (dimensions is { } size)
        {
            request["outputDimensionality"] = size;
        }
        return request;
    }
}
