using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Providers.Http;
using LlmRouter.Providers.Wire;

namespace LlmRouter.Providers.Gemini;

/// <summary>
/// Gemini upstreams: POST {base_url}/{api_version}/models/{model}:generateContent, or
/// :streamGenerateContent?alt=sse when streaming, with the key in <c>x-goog-api-key</c>.
/// </summary>
public sealed class GeminiAdapter(UpstreamHttpClients clients, TimeProvider time) : IProviderAdapter
{
    /// <summary>Used unless <c>settings.api_version</c> names another (e.g. <c>v1</c>).</summary>
    public const string DefaultApiVersion = "v1beta";

    public IReadOnlyList<string> Types { get; } = [ProviderTypes.Gemini];

    public IReadOnlyList<string> Apis { get; } = [WireApis.Gemini];

    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        HttpRequestMessage request;
        try
        {
            request = CreateRequest(call, stream: false);
        }
        catch (TranslationFailure failure)
        {
            return ValueTask.FromResult(UpstreamChatResult.Failed(failure.ToError()));
        }
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var model = Model(call);
        return UpstreamExchange.CompleteAsync(clients, call, request, WireApis.Gemini, body => GeminiResponseReader.Read(body, model, created), cancellationToken);
    }

    public ValueTask<UpstreamStream> StreamAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        HttpRequestMessage request;
        try
        {
            request = CreateRequest(call, stream: true);
        }
        catch (TranslationFailure failure)
        {
            return ValueTask.FromResult(UpstreamStream.Failed(failure.ToError()));
        }
        var translator = new GeminiStreamTranslator(call.ProviderName, Model(call), time.GetUtcNow().ToUnixTimeSeconds());
        return UpstreamExchange.StreamAsync(clients, call, request, WireApis.Gemini, (body, deadline) => translator.ReadAsync(body, deadline), cancellationToken);
    }

    /// <summary>The model goes in the URL; clients sometimes write Gemini's resource name (<c>models/…</c>).</summary>
    private static string Model(UpstreamCall call)
    {
        var model = JsonRead.String(call.Request.Body["model"]) ?? call.Request.Model.Model.UpstreamName;
        return model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;
    }

    private static HttpRequestMessage CreateRequest(UpstreamCall call, bool stream)
    {
        var provider = call.Request.Model.Provider;
        var body = GeminiRequestBuilder.Build(call.Request.Body);
        var version = provider.Setting("api_version") ?? DefaultApiVersion;
        var method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
        var url = ProviderEndpoints.ApiUrl(provider, $"/{version}/models/{Uri.EscapeDataString(Model(call))}:{method}", endpointApplies: false);
        var request = UpstreamExchange.JsonPost(url, WireBody.Serialize(body, call.Request.Model.Model, owned: true), stream ? "text/event-stream" : "application/json");
        if (!string.IsNullOrEmpty(call.ApiKey))
        {
            request.Headers.TryAddWithoutValidation("x-goog-api-key", call.ApiKey);
        }
        return request;
    }
}
