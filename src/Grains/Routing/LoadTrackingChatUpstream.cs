using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Grains.Routing;

/// <summary>Wraps the upstream so every call counts as in flight for its model until its answer, or its stream, is finished with.</summary>
public sealed class LoadTrackingChatUpstream(IChatUpstream inner, InFlightTracker load) : IChatUpstream
{
    public async ValueTask<UpstreamChatResult> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default)
    {
        var id = request.Model.Id;
        load.Started(id);
        try
        {
            return await inner.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            load.Finished(id);
        }
    }

    public async ValueTask<UpstreamStream> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default)
    {
        var id = request.Model.Id;
        load.Started(id);
        UpstreamStream stream;
        try
        {
            stream = await inner.StreamAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            load.Finished(id);
            throw;
        }
        if (stream.Chunks is null)
        {
            load.Finished(id);
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
                    load.Finished(id);
                }
            }
        });
    }
}
