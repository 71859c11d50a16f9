using System.Runtime.CompilerServices;
using LlmRouter.Abstractions.Metrics;
using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// Wraps the upstream: every call counts as in flight until its answer (or its stream) is finished with, and every
/// failure, before or during a stream, counts as an upstream error by reason. Cancellations are the client's, not errors.
/// </summary>
internal sealed class MeteredChatUpstream(IChatUpstream inner, IRouterMetrics metrics) : IChatUpstream
{
    public async ValueTask<UpstreamChatResult> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default)
    {
        metrics.RequestStarted();
        try
        {
            var result = await inner.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
            Count(request, result.Error);
            return result;
        }
        finally
        {
            metrics.RequestFinished();
        }
    }

    public async ValueTask<UpstreamStream> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default)
    {
        metrics.RequestStarted();
        UpstreamStream stream;
        try
        {
            stream = await inner.StreamAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            metrics.RequestFinished();
            throw;
        }
        if (stream.Chunks is not { } chunks)
        {
            Count(request, stream.Error);
            metrics.RequestFinished();
            return stream;
        }
        var finished = 0;
        return stream.WithChunks(source => Watch(request, source, CancellationToken.None), async () =>
        {
            try
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                if (Interlocked.Exchange(ref finished, 1) == 0)
                {
                    metrics.RequestFinished();
                }
            }
        });
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
