using LlmRouter.Providers.Sse;

namespace LlmRouter.Providers.OpenAiCompatible;

/// <summary>
/// Reads an OpenAI chat-completions event stream: each event's chunk passes on as is, <c>[DONE]</c> ends it, and
/// a stream that ends without a finish reason is reported as cut short.
/// </summary>
internal static class OpenAiChunkReader
{
    public static async IAsyncEnumerable<ChatStreamChunk> ReadAsync(
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
}
