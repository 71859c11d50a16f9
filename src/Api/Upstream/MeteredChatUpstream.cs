using System.Runtime.CompilerServices;
using LlmRouter.Abstractions.Metrics;

namespace LlmRouter.Api.Upstream;

/// <summary>
/// Counts every failure of an upstream call, before or during a stream, as an upstream error by reason on /metrics.
/// Cancellations are the client's, not errors.
/// </summary>
internal sealed class MeteredChatUpstream(IChatUpstream inner, IRouterMetrics metrics) : IChatUpstream
{
    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default) =>
        CountedAsync(request, inner.CompleteAsync(request, cancellationToken));

    public ValueTask<UpstreamChatResult> EmbedAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default) =>
        CountedAsync(request, inner.EmbedAsync(request, cancellationToken));

    private async ValueTask<UpstreamChatResult> CountedAsync(UpstreamChatRequest request, ValueTask<UpstreamChatResult> answer)
    {
        var result = await answer.ConfigureAwait(false);
        Count(request, result.Error);
        return result;
    }

    public async ValueTask<UpstreamStream> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default)
    {
        var stream = await inner.StreamAsync(request, cancellationToken).ConfigureAwait(false);
        if (stream.Chunks is null)
        {
            Count(request, stream.Error);
            return stream;
        }
        return stream.WithChunks(source => Watch(request, source, CancellationToken.None), stream.DisposeAsync);
    }

    private async IAsyncEnumerable<ChatStreamChunk> Watch(
        UpstreamChatRequest request, IAsyncEnumerable<ChatStreamChunk> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Count(request, chunk.Error);
            yield return chunk;
        }
    }

    private void Count(UpstreamChatRequest request, UpstreamError? error)
    {
        if (error is not null && UpstreamErrorReasons.Of(error) is { } reason)
        {
            metrics.UpstreamError(request.Model.Provider.Name, reason);
        }
    }
}
