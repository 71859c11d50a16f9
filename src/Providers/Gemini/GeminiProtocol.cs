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
        var version = provider.Setting("api_version") ?? DefaultApiVersion;
        var method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
        var url = ProviderEndpoints.ApiUrl(provider, $"/{version}/models/{Uri.EscapeDataString(Model(call))}:{method}", endpointApplies: false);
        var request = WireRequest.Post(url, body, call, stream ? "text/event-stream" : "application/json");
        WireRequest.AddKey(request, "x-goog-api-key", call.ApiKey);
        return request;
    }

    public UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call, long created) => GeminiResponseReader.Read(body, Model(call), created);

    public IAsyncEnumerable<ChatStreamChunk> ReadStream(Stream body, UpstreamDeadline deadline, UpstreamCall call, long created) =>
        new GeminiStreamTranslator(call.ProviderName, Model(call), created).ReadAsync(body, deadline);

    /// <summary>The model goes in the URL; clients sometimes write Gemini's resource name (<c>models/…</c>).</summary>
    private static string Model(UpstreamCall call)
    {
        var model = UpstreamModel.Of(call);
        return model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
    }
}
