using LlmRouter.Providers.Embeddings;

namespace LlmRouter.Providers.Gemini;

/// <summary>
/// Gemini upstreams: POST {base_url}/{api_version}/models/{model}:generateContent, or
/// :streamGenerateContent?alt=sse when streaming, with the key in <c>x-goog-api-key</c>.
/// </summary>
internal sealed class GeminiProtocol : IWireProtocol
{
    /// <summary>Used unless <c>settings.api_version</c> names another (e.g. <c>v1</c>).</summary>
    public const string DefaultApiVersion = "v1beta";

    public string Api => WireApis.Gemini;

    public IReadOnlyList<string> Types { get; } = [ProviderTypes.Gemini];

    public HttpRequestMessage CreateRequest(UpstreamCall call, bool stream)
    {
        var provider = call.Request.Model.Provider;
        var body = GeminiRequestBuilder.Build(call.Request.Body);
        var method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
        var request = WireRequest.Post(Url(call, Model(call), method), body, call, stream ? "text/event-stream" : "application/json");
        WireRequest.AddKey(request, "x-goog-api-key", call.ApiKey);
        return request;
    }

    public IEmbeddingWire Embeddings { get; } = new GeminiEmbeddingWire();

    /// <summary>POST {base_url}/{api_version}/models/{model}:{method}.</summary>
    public static Uri Url(UpstreamCall call, string model, string method)
    {
        var provider = call.Request.Model.Provider;
        var version = provider.Setting("api_version") ?? DefaultApiVersion;
        return ProviderEndpoints.ApiUrl(provider, $"/{version}/models/{Uri.EscapeDataString(model)}:{method}", endpointApplies: false);
    }

    public UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call, long created) => GeminiResponseReader.Read(body, Model(call), created);

    public IAsyncEnumerable<ChatStreamChunk> ReadStream(Stream body, UpstreamDeadline deadline, UpstreamCall call, long created) =>
        new GeminiStreamTranslator(call.ProviderName, Model(call), created).ReadAsync(body, deadline);

    /// <summary>The model goes in the URL; clients sometimes write Gemini's resource name (<c>models/…</c>).</summary>
    public static string Model(UpstreamCall call)
    {
        var model = UpstreamModel.Of(call);
        return model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
    }
}
