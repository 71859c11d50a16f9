namespace LlmRouter.Providers.Anthropic;

/// <summary>
/// Anthropic Messages upstreams (<c>claude</c>, <c>anthropic</c>, or any provider with <c>settings.api = "anthropic"</c>):
/// POST {base_url}/v1/messages with <c>x-api-key</c> and <c>anthropic-version</c>. A request that came from an
/// Anthropic client is sent as the client wrote it (model name aside) and its answer kept verbatim beside the
/// translation, so Anthropic-to-Anthropic calls lose nothing.
/// </summary>
internal sealed class AnthropicMessagesProtocol : IWireProtocol
{
    /// <summary>Sent unless <c>settings.anthropic_version</c> names another.</summary>
    public const string DefaultVersion = "2023-06-01";

    public string Api => WireApis.Anthropic;

    public IReadOnlyList<string> Types { get; } = [ProviderTypes.Claude, ProviderTypes.Anthropic];

    public HttpRequestMessage CreateRequest(UpstreamCall call, bool stream)
    {
        var provider = call.Request.Model.Provider;
        var body = Body(call, stream);
        var request = WireRequest.Post(ProviderEndpoints.ApiUrl(provider, "/v1/messages"), body, call, stream ? "text/event-stream" : "application/json");
        WireRequest.AddKey(request, "x-api-key", call.ApiKey);
        request.Headers.TryAddWithoutValidation("anthropic-version", provider.Setting("anthropic_version") ?? DefaultVersion);
        foreach (var (name, value) in call.Request.Native?.Headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    public UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call, long created) => AnthropicResponseReader.Read(body, created);

    public IAsyncEnumerable<ChatStreamChunk> ReadStream(Stream body, UpstreamDeadline deadline, UpstreamCall call, long created) =>
        new AnthropicStreamTranslator(call.ProviderName, created, passthrough: IsPassthrough(call)).ReadAsync(body, deadline);

    private static bool IsPassthrough(UpstreamCall call) => call.Request.Native?.Api == WireApis.Anthropic;

    private static JsonObject Body(UpstreamCall call, bool stream)
    {
        var model = UpstreamModel.Of(call);
        if (!IsPassthrough(call))
        {
            return AnthropicRequestBuilder.Build(call.Request.Body, model, call.Request.Model.Provider, stream);
        }
        var body = (JsonObject)call.Request.Native!.Body.DeepClone();
        body["model"] = model;
        body.Remove("stream");
        if (stream)
        {
            body["stream"] = true;
        }
        return body;
    }
}
