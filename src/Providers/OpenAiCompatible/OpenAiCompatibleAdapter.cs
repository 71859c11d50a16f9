using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Providers.Http;
using LlmRouter.Providers.Sse;
using LlmRouter.Providers.Wire;

namespace LlmRouter.Providers.OpenAiCompatible;

/// <summary>
/// The OpenAI chat-completions family (OpenAI, DeepSeek, Qwen, Kimi, GLM, OpenRouter, Grok, vLLM, Ollama's /v1,
/// transformers servers): the canonical body goes out as is (after the model's rewrite_body), answers and
/// chunks come back as is.
/// </summary>
public sealed class OpenAiCompatibleAdapter(UpstreamHttpClients clients) : IProviderAdapter
{
    public IReadOnlyList<string> Types { get; } =
    [
        ProviderTypes.OpenAi, ProviderTypes.DeepSeek, ProviderTypes.Qwen, ProviderTypes.Kimi, ProviderTypes.Glm,
        ProviderTypes.OpenRouter, ProviderTypes.Grok, ProviderTypes.Vllm, ProviderTypes.Ollama, ProviderTypes.Transformers,
    ];

    public IReadOnlyList<string> Apis { get; } = [WireApis.OpenAi];

    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        UpstreamExchange.CompleteAsync(clients, call, CreateRequest(call, stream: false), WireApis.OpenAi, Inspect, cancellationToken);

    public ValueTask<UpstreamStream> StreamAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        UpstreamExchange.StreamAsync(clients, call, CreateRequest(call, stream: true), WireApis.OpenAi,
            (body, deadline) => ReadChunks(body, deadline, call.ProviderName), cancellationToken, OpenAiCompletionChunks.From);

    private static UpstreamChatResult? Inspect(byte[] body) =>
        OpenAiJsonInspector.TryInspectCompletion(body, out var usage, out var finishReason, out _)
            ? new UpstreamChatResult { Body = body, Usage = usage, FinishReason = finishReason }
            : null;

    private static async IAsyncEnumerable<ChatStreamChunk> ReadChunks(
        Stream body, UpstreamDeadline deadline, string provider, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var events = 0;
        var finished = false;
        await foreach (var item in SseReader.ReadAsync(body, deadline.Reset, deadline.MaxEventBytes, deadline.Token).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data.AsSpan().SequenceEqual("[DONE]"u8))
            {
                yield break;
            }
            events++;
            var chunk = OpenAiJsonInspector.InspectChunk(item.Data)
                ?? new ChatStreamChunk { Error = new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{provider}' sent a chunk that is not JSON") };
            finished |= chunk.FinishReason is not null;
            yield return chunk;
            if (chunk.Error is not null)
            {
                yield break;
            }
        }
        // The stream ended with neither [DONE] nor a finish reason: cut short, or never an event stream at all.
        if (!finished)
        {
            yield return events == 0
                ? new ChatStreamChunk { Error = new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{provider}' answered a stream request without a single stream event") }
                : UpstreamExchange.Truncated(provider);
        }
    }

    private static HttpRequestMessage CreateRequest(UpstreamCall call, bool stream)
    {
        var url = ProviderEndpoints.OpenAiChatUrl(call.Request.Model.Provider);
        var body = WireBody.Serialize(call.Request.Body, call.Request.Model.Model, owned: false);
        var request = UpstreamExchange.JsonPost(url, body, stream ? "text/event-stream" : "application/json");
        if (!string.IsNullOrEmpty(call.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", call.ApiKey);
        }
        return request;
    }
}
