using System.Net.Http.Headers;

namespace LlmRouter.Providers.Http;

/// <summary>
/// The HTTP half every adapter shares: send the request under the call's deadline, turn error statuses and
/// transport failures into <see cref="UpstreamError"/> values, and hand a successful answer to the adapter's
/// translation (whole, or as a stream read while it arrives).
/// </summary>
internal static class UpstreamExchange
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    /// <summary>
    /// A POST of a JSON body; the adapter adds its credential headers. It asks for HTTP/2 and accepts less: an https
    /// upstream that offers h2 (ALPN) gets one multiplexed connection, any other stays on pooled HTTP/1.1 keep-alive.
    /// </summary>
    public static HttpRequestMessage JsonPost(Uri url, byte[] body, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = JsonContentType } },
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return request;
    }

    /// <summary>A non-streamed call; <paramref name="translate"/> returns null when the body is not the API's answer.</summary>
    public static async ValueTask<UpstreamChatResult> CompleteAsync(
        UpstreamHttpClients clients, UpstreamCall call, HttpRequestMessage request, string api,
        Func<byte[], UpstreamChatResult?> translate, CancellationToken cancellationToken)
    {
        using var deadline = new UpstreamDeadline(call.Timeout, cancellationToken);
        try
        {
            using var response = await clients.For(request.RequestUri!).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = await UpstreamFailures.FromResponseAsync(response, call.ProviderName, call.MaxResponseBytes, deadline.Token).ConfigureAwait(false);
                return UpstreamChatResult.Failed(error with { Api = api });
            }
            var body = await BoundedBody.ReadAsync(response.Content, call.MaxResponseBytes, deadline.Token).ConfigureAwait(false);
            if (body is null)
            {
                return UpstreamChatResult.Failed(new UpstreamError(UpstreamErrorKind.Protocol,
                    $"provider '{call.ProviderName}' answered with more than {call.MaxResponseBytes} bytes ([server] max_upstream_response_bytes)") { Api = api });
            }
            UpstreamChatResult? result;
            try
            {
                result = translate(body);
            }
            catch (JsonException)
            {
                result = null;
            }
            return result ?? UpstreamChatResult.Failed(new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{call.ProviderName}' answered with something that is not a chat completion")
            {
                Status = (int)response.StatusCode,
                RawBody = Encoding.UTF8.GetString(body),
                Api = api,
            });
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            return UpstreamChatResult.Failed(UpstreamFailures.FromException(exception, deadline, call.ProviderName));
        }
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>
    /// Starts a streamed call. Errors before the first byte of the answer come back as a failed stream (so the
    /// caller may retry); errors after that end the chunks with one error chunk.
    /// </summary>
    public static async ValueTask<UpstreamStream> StreamAsync(
        UpstreamHttpClients clients, UpstreamCall call, HttpRequestMessage request, string api,
        Func<Stream, UpstreamDeadline, IAsyncEnumerable<ChatStreamChunk>> read, CancellationToken cancellationToken,
        Func<byte[], IReadOnlyList<ChatStreamChunk>?>? wholeAnswer = null)
    {
        var deadline = new UpstreamDeadline(call.Timeout, cancellationToken, call.StreamDeadline, call.MaxResponseBytes);
        HttpResponseMessage? response = null;
        try
        {
            response = await clients.For(request.RequestUri!).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var error = await UpstreamFailures.FromResponseAsync(response, call.ProviderName, call.MaxResponseBytes, deadline.Token).ConfigureAwait(false);
                response.Dispose();
                deadline.Dispose();
                return UpstreamStream.Failed(error with { Api = api });
            }
            if (wholeAnswer is not null && IsJson(response.Content.Headers.ContentType))
            {
                // Some servers ignore "stream": true and answer whole: the answer is streamed on as it is, and
                // anything that is not an answer fails before the client got a byte (so a fallback may serve).
                var whole = await WholeAnswerAsync(response, call, api, wholeAnswer, deadline.Token).ConfigureAwait(false);
                response.Dispose();
                deadline.Dispose();
                return whole;
            }
            var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            var owned = response;
            return new UpstreamStream(Guard(read(body, deadline), deadline, call.ProviderName, CancellationToken.None), () =>
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
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>Ends a translated stream with an error chunk instead of an exception when the upstream breaks off.</summary>
    private static async ValueTask<UpstreamStream> WholeAnswerAsync(
        HttpResponseMessage response, UpstreamCall call, string api, Func<byte[], IReadOnlyList<ChatStreamChunk>?> wholeAnswer, CancellationToken cancellationToken)
    {
        var body = await BoundedBody.ReadAsync(response.Content, call.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ChatStreamChunk>? chunks = null;
        try
        {
            chunks = body is null ? null : wholeAnswer(body);
        }
        catch (JsonException)
        {
            chunks = null;
        }
        if (chunks is null)
        {
            return UpstreamStream.Failed(new UpstreamError(UpstreamErrorKind.Protocol,
                $"provider '{call.ProviderName}' answered a stream request with JSON that is not a chat completion")
            {
                Status = (int)response.StatusCode,
                RawBody = body is null ? null : Encoding.UTF8.GetString(body),
                Api = api,
            });
        }
        return new UpstreamStream(chunks.ToAsyncEnumerable(), () => ValueTask.CompletedTask);
    }

    private static bool IsJson(MediaTypeHeaderValue? contentType) =>
        string.Equals(contentType?.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    private static async IAsyncEnumerable<ChatStreamChunk> Guard(
        IAsyncEnumerable<ChatStreamChunk> chunks, UpstreamDeadline deadline, string provider, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var enumerator = chunks.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatStreamChunk? chunk = null;
                UpstreamError? failure = null;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                    chunk = enumerator.Current;
                }
                catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
                {
                    failure = UpstreamFailures.FromException(exception, deadline, provider);
                }
                catch (JsonException exception)
                {
                    failure = new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{provider}' sent a stream event that is not JSON: {exception.Message}");
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
        finally
        {
            await DisposeQuietlyAsync(enumerator).ConfigureAwait(false);
        }
    }

    private static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<ChatStreamChunk> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            // The response is being torn down anyway; its release callback disposes it.
        }
    }

    /// <summary>The error chunk for a stream that ended before the upstream said it was finished.</summary>
    public static ChatStreamChunk Truncated(string provider) => new()
    {
        Error = new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{provider}' closed the stream before the answer was finished"),
    };
}
