using LlmRouter.Providers.Embeddings;

namespace LlmRouter.Providers.Ollama;

/// <summary>
/// Ollama's native API, POST {base_url}/api/chat with NDJSON streaming, for providers with
/// <c>settings.api = "native"</c> (or <c>"ollama"</c>); plain <c>type = "ollama"</c> keeps using its /v1 endpoint.
/// A bearer key is sent when one is configured (ollama.com); a local server needs none.
/// </summary>
internal sealed class OllamaChatProtocol : IWireProtocol
{
    public string Api => WireApis.Ollama;

    public IReadOnlyList<string> Types { get; } = [];

    public HttpRequestMessage CreateRequest(UpstreamCall call, bool stream)
    {
        var body = OllamaRequestBuilder.Build(call.Request.Body, UpstreamModel.Of(call), stream);
        var request = WireRequest.Post(Url(call.Request.Model.Provider, "/api/chat"), body, call, stream ? "application/x-ndjson" : "application/json");
        WireRequest.AddBearer(request, call.ApiKey);
        return request;
    }

    public IEmbeddingWire Embeddings { get; } = new OllamaEmbeddingWire();

    /// <summary>The URL of a native API path; the native API lives beside /v1, so a base URL written for the OpenAI endpoint still works.</summary>
    public static Uri Url(ProviderConfig provider, string path)
    {
        var baseUrl = ProviderEndpoints.BaseUrl(provider);
        if (baseUrl.EndsWith("/v1", StringComparison.Ordinal))
        {
            provider = provider with { BaseUrl = baseUrl[..^"/v1".Length] };
        }
        return ProviderEndpoints.ApiUrl(provider, path);
    }

    public UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call, long created) => OllamaResponseReader.Read(body, UpstreamModel.Of(call), created);

    public IAsyncEnumerable<ChatStreamChunk> ReadStream(Stream body, UpstreamDeadline deadline, UpstreamCall call, long created) =>
        new OllamaStreamTranslator(call.ProviderName, UpstreamModel.Of(call), created).ReadAsync(body, deadline);
}
