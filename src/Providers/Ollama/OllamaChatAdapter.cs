using System.Net.Http.Headers;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Providers.Http;
using LlmRouter.Providers.Wire;

namespace LlmRouter.Providers.Ollama;

/// <summary>
/// Ollama's native API, POST {base_url}/api/chat with NDJSON streaming, for providers with
/// <c>settings.api = "native"</c> (or <c>"ollama"</c>); plain <c>type = "ollama"</c> keeps using its /v1 endpoint.
/// A bearer key is sent when one is configured (ollama.com); a local server needs none.
/// </summary>
public sealed class OllamaChatAdapter(UpstreamHttpClients clients, TimeProvider time) : IProviderAdapter
{
    public IReadOnlyList<string> Types { get; } = [];

    public IReadOnlyList<string> Apis { get; } = [WireApis.Ollama];

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
        return UpstreamExchange.CompleteAsync(clients, call, request, WireApis.Ollama, body => OllamaResponseReader.Read(body, model, created), cancellationToken);
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
        var translator = new OllamaStreamTranslator(call.ProviderName, Model(call), time.GetUtcNow().ToUnixTimeSeconds());
        return UpstreamExchange.StreamAsync(clients, call, request, WireApis.Ollama, (body, deadline) => translator.ReadAsync(body, deadline), cancellationToken);
    }

    private static string Model(UpstreamCall call) => JsonRead.String(call.Request.Body["model"]) ?? call.Request.Model.Model.UpstreamName;

    private static HttpRequestMessage CreateRequest(UpstreamCall call, bool stream)
    {
        var provider = call.Request.Model.Provider;
        var body = OllamaRequestBuilder.Build(call.Request.Body, Model(call), stream);
        // The native API lives beside /v1, so a base URL written for the OpenAI endpoint still works.
        var baseUrl = ProviderEndpoints.BaseUrl(provider);
        if (baseUrl.EndsWith("/v1", StringComparison.Ordinal))
        {
            provider = provider with { BaseUrl = baseUrl[..^"/v1".Length] };
        }
        var url = ProviderEndpoints.ApiUrl(provider, "/api/chat");
        var request = UpstreamExchange.JsonPost(url, WireBody.Serialize(body, call.Request.Model.Model, owned: true), stream ? "application/x-ndjson" : "application/json");
        if (!string.IsNullOrEmpty(call.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", call.ApiKey);
        }
        return request;
    }
}
