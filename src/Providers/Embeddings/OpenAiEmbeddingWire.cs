namespace LlmRouter.Providers.Embeddings;

/// <summary>
/// The OpenAI family's POST {base}/v1/embeddings: the client's request goes out as is (its model set by routing),
/// the answer comes back as is, its usage read for the log.
/// </summary>
internal sealed class OpenAiEmbeddingWire : IEmbeddingWire
{
    public HttpRequestMessage CreateRequest(UpstreamCall call)
    {
        var request = WireRequest.Post(ProviderEndpoints.OpenAiEmbeddingsUrl(call.Request.Model.Provider), call.Request.Body, call, "application/json", owned: false);
        WireRequest.AddBearer(request, call.ApiKey);
        return request;
    }

    public UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (JsonRead.Property(root, "data", JsonValueKind.Array) is null)
        {
            return null;
        }
        var usage = JsonRead.Property(root, "usage", JsonValueKind.Object) is { } counts && JsonRead.Long(counts, "prompt_tokens") is { } prompt
            ? new TokenUsage(prompt, 0)
            : (TokenUsage?)null;
        return new UpstreamChatResult { Body = body, Usage = usage };
    }
}
