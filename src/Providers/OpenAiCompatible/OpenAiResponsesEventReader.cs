using LlmRouter.Providers.Sse;

namespace LlmRouter.Providers.OpenAiCompatible;

/// <summary>
/// Reads a Responses API event stream for a passthrough call: every event travels on as it came
/// (<see cref="ChatStreamChunk.Native"/>), one chunk per event, the text deltas noted for the log and the usage of
/// <c>response.completed</c> (or <c>response.incomplete</c>) for billing. An <c>error</c> or <c>response.failed</c>
/// event ends the stream as an error; a stream that ends before its terminal event is reported as cut short.
/// </summary>
internal static class OpenAiResponsesEventReader
{
    public static async IAsyncEnumerable<ChatStreamChunk> ReadAsync(
        Stream body, UpstreamDeadline deadline, string provider, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in SseReader.ReadAsync(body, deadline.Reset, deadline.MaxEventBytes, deadline.Token).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (OpenAiResponsesPassthrough.Parse(item.Data) is not { } data)
            {
                yield return new ChatStreamChunk { Error = new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{provider}' sent an event that is not JSON") };
                yield break;
            }
            var type = JsonRead.String(data["type"]) ?? item.Event;
            var native = new NativeEvent(WireApis.OpenAiResponses, item.Event ?? type, item.Data);
            switch (type)
            {
                case "response.output_text.delta":
                    yield return new ChatStreamChunk { Native = native, ContentDelta = JsonRead.String(data["delta"]) };
                    break;
                case "response.completed" or "response.incomplete":
                    var response = data["response"];
                    yield return new ChatStreamChunk
                    {
                        Native = native,
                        Usage = OpenAiResponsesPassthrough.Usage(response),
                        FinishReason = OpenAiResponsesPassthrough.FinishReason(response),
                    };
                    yield break;
                case "error" or "response.failed":
                    yield return new ChatStreamChunk { Error = Error(provider, JsonRead.Member(data["response"], "error") ?? data, item.Data) };
                    yield break;
                default:
                    yield return new ChatStreamChunk { Native = native };
                    break;
            }
        }
        yield return UpstreamExchange.Truncated(provider);
    }

    /// <summary>A mid-stream failure the upstream reported (its <c>code</c> and <c>message</c>).</summary>
    private static UpstreamError Error(string provider, JsonNode error, byte[] raw) =>
        new(UpstreamErrorKind.HttpStatus, JsonRead.String(error["message"]) ?? $"provider '{provider}' reported {JsonRead.String(error["code"]) ?? "an error"} mid-stream")
        {
            Status = 500,
            RawBody = Encoding.UTF8.GetString(raw),
            Api = WireApis.OpenAiResponses,
        };
}
