using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Providers.Http;
using LlmRouter.Providers.Sse;

namespace LlmRouter.Providers.OpenAiCompatible;

/// <summary>
/// The OpenAI chat-completions family (OpenAI, DeepSeek, Qwen, Kimi, GLM, OpenRouter, Grok, vLLM, Ollama's /v1,
/// transformers servers): the canonical body goes out as is, answers and chunks come back as is.
/// </summary>
public sealed class OpenAiCompatibleAdapter(UpstreamHttpClients clients) : IProviderAdapter
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    public IReadOnlyList<string> Types { get; } =
    [
        ProviderTypes.OpenAi, ProviderTypes.DeepSeek, ProviderTypes.Qwen, ProviderTypes.Kimi, ProviderTypes.Glm,
        ProviderTypes.OpenRouter, ProviderTypes.Grok, ProviderTypes.Vllm, ProviderTypes.Ollama, ProviderTypes.Transformers,
    ];

    public async ValueTask<UpstreamChatResult> CompleteAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        using var deadline = new UpstreamDeadline(call.Timeout, cancellationToken);
        try
        {
            var url = ProviderEndpoints.OpenAiChatUrl(call.Request.Model.Provider);
            using var request = CreateRequest(url, call, stream: false);
            using var response = await clients.For(url).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return UpstreamChatResult.Failed(await UpstreamFailures.FromResponseAsync(response, call.ProviderName, deadline.Token).ConfigureAwait(false));
            }
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            if (!OpenAiJsonInspector.TryInspectCompletion(body, out var usage, out var finishReason, out _))
            {
                return UpstreamChatResult.Failed(new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{call.ProviderName}' answered with something that is not a chat completion")
                {
                    Status = (int)response.StatusCode,
                    RawBody = System.Text.Encoding.UTF8.GetString(body),
                });
            }
            return new UpstreamChatResult { Body = body, Usage = usage, FinishReason = finishReason };
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            return UpstreamChatResult.Failed(UpstreamFailures.FromException(exception, deadline, call.ProviderName));
        }
    }

    public async ValueTask<UpstreamStream> StreamAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        var deadline = new UpstreamDeadline(call.Timeout, cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            var url = ProviderEndpoints.OpenAiChatUrl(call.Request.Model.Provider);
            using var request = CreateRequest(url, call, stream: true);
            response = await clients.For(url).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = await UpstreamFailures.FromResponseAsync(response, call.ProviderName, deadline.Token).ConfigureAwait(false);
                response.Dispose();
                deadline.Dispose();
                return UpstreamStream.Failed(error);
            }
            var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            var owned = response;
            return new UpstreamStream(ReadChunks(body, deadline, call.ProviderName), () =>
            {
                owned.Dispose();
                deadline.Dispose();
                return ValueTask.CompletedTask;
            });
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            response?.Dispose();
            var error = UpstreamFailures.FromException(exception, deadline, call.ProviderName);
            deadline.Dispose();
            return UpstreamStream.Failed(error);
        }
    }

    private static async IAsyncEnumerable<ChatStreamChunk> ReadChunks(
        Stream body, UpstreamDeadline deadline, string provider)
    {
        await using var events = SseReader.ReadAsync(body, deadline.Reset, deadline.Token).GetAsyncEnumerator(deadline.Token);
        while (true)
        {
            ChatStreamChunk? chunk;
            UpstreamError? failure = null;
            try
            {
                if (!await events.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
                var data = events.Current.Data;
                if (data.AsSpan().SequenceEqual("[DONE]"u8))
                {
                    break;
                }
                chunk = OpenAiJsonInspector.InspectChunk(data)
                    ?? new ChatStreamChunk { Error = new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{provider}' sent a chunk that is not JSON") };
            }
            catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
            {
                chunk = null;
                failure = UpstreamFailures.FromException(exception, deadline, provider);
            }
            if (failure is not null)
            {
                yield return new ChatStreamChunk { Error = failure };
                yield break;
            }
            yield return chunk!;
            if (chunk!.Error is not null)
            {
                yield break;
            }
        }
    }

    private static HttpRequestMessage CreateRequest(Uri url, UpstreamCall call, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(Serialize(call.Request.Body)) { Headers = { ContentType = JsonContentType } },
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));
        if (!string.IsNullOrEmpty(call.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", call.ApiKey);
        }
        return request;
    }

    private static byte[] Serialize(JsonObject body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body.WriteTo(writer);
        }
        return buffer.ToArray();
    }
}
