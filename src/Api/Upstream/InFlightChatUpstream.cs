using LlmRouter.Abstractions.Metrics;
using LlmRouter.Grains.Routing;

namespace LlmRouter.Api.Upstream;

/// <summary>
/// Counts every upstream call in flight, once, until its answer or its stream is finished with: per model for the
/// least_busy strategy (<see cref="InFlightTracker"/>) and in total on /metrics.
/// </summary>
internal sealed class InFlightChatUpstream(IChatUpstream inner, InFlightTracker load, IRouterMetrics metrics) : IChatUpstream
{
    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default) =>
        CountedAsync(request, static (inner, request, token) => inner.CompleteAsync(request, token), cancellationToken);

    public ValueTask<UpstreamChatResult> EmbedAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default) =>
        CountedAsync(request, static (inner, request, token) => inner.EmbedAsync(request, token), cancellationToken);

    private async ValueTask<UpstreamChatResult> CountedAsync(
        UpstreamChatRequest request, Func<IChatUpstream, UpstreamChatRequest, CancellationToken, ValueTask<UpstreamChatResult>> send, CancellationToken cancellationToken)
    {
        var id = Started(request);
        try
        {
            return await send(inner, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Finished(id);
        }
    }

    public async ValueTask<UpstreamStream> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default)
    {
        var id = Started(request);
        UpstreamStream stream;
        try
        {
            stream = await inner.StreamAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Finished(id);
            throw;
        }
        if (stream.Chunks is null)
        {
            Finished(id);
            return stream;
        }
        var finished = 0;
        return stream.WithChunks(static source => source, async () =>
        {
            try
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                if (Interlocked.Exchange(ref finished, 1) == 0)
                {
                    Finished(id);
                }
            }
        });
    }

    private string Started(UpstreamChatRequest request)
    {
        load.Started(request.Model.Id);
        metrics.RequestStarted();
        return request.Model.Id;
    }

    private void Finished(string modelId)
    {
        load.Finished(modelId);
        metrics.RequestFinished();
    }
}
