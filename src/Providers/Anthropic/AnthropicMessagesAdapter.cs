using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Providers.Http;
using LlmRouter.Providers.Wire;

namespace LlmRouter.Providers.Anthropic;

/// <summary>
/// Anthropic Messages upstreams (<c>claude</c>, <c>anthropic</c>, or any provider with <c>settings.api = "anthropic"</c>):
/// POST {base_url}/v1/messages with <c>x-api-key</c> and <c>anthropic-version</c>. A request that came from an
/// Anthropic client is sent as the client wrote it (model name aside) and its answer kept verbatim beside the
/// translation, so Anthropic-to-Anthropic calls lose nothing.
/// </summary>
public sealed class AnthropicMessagesAdapter(UpstreamHttpClients clients, TimeProvider time) : IProviderAdapter
{
    /// <summary>Sent unless <c>settings.anthropic_version</c> names another.</summary>
    public const string DefaultVersion = "2023-06-01";

    public IReadOnlyList<string> Types { get; } = [ProviderTypes.Claude, ProviderTypes.Anthropic];

    public IReadOnlyList<string> Apis { get; } = [WireApis.Anthropic];

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
        return UpstreamExchange.CompleteAsync(clients, call, request, WireApis.Anthropic, body => AnthropicResponseReader.Read(body, created), cancellationToken);
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
        var translator = new AnthropicStreamTranslator(call.ProviderName, time.GetUtcNow().ToUnixTimeSeconds(), passthrough: IsPassthrough(call));
        return UpstreamExchange.StreamAsync(clients, call, request, WireApis.Anthropic, (body, deadline) => translator.ReadAsync(body, deadline), cancellationToken);
    }

    private static bool IsPassthrough(UpstreamCall call) => call.Request.Native?.Api == WireApis.Anthropic;

    private static HttpRequestMessage CreateRequest(UpstreamCall call, bool stream)
    {
        var provider = call.Request.Model.Provider;
        var model = JsonRead.String(call.Request.Body["model"]) ?? call.Request.Model.Model.UpstreamName;
        JsonObject body;
        if (IsPassthrough(call))
        {
            body = (JsonObject)call.Request.Native!.Body.DeepClone();
            body["model"] = model;
            body.Remove("stream");
            if (stream)
            {
                body["stream"] = true;
            }
        }
        else
        {
            body = AnthropicRequestBuilder.Build(call.Request.Body, model, provider, stream);
        }
        var url = ProviderEndpoints.ApiUrl(provider, "/v1/messages");
        var request = UpstreamExchange.JsonPost(url, WireBody.Serialize(body, call.Request.Model.Model, owned: true), stream ? "text/event-stream" : "application/json");
        if (!string.IsNullOrEmpty(call.ApiKey))
        {
            request.Headers.TryAddWithoutValidation("x-api-key", call.ApiKey);
        }
        request.Headers.TryAddWithoutValidation("anthropic-version", provider.Setting("anthropic_version") ?? DefaultVersion);
        foreach (var (name, value) in call.Request.Native?.Headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }
}
