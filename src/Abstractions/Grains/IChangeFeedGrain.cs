namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// The cluster's change feed, one activation (key 0): a version per topic (<see cref="ClusterTopic"/>), raised by
/// every change made over the API, which each node polls to reread what moved. Held in memory only: a new activation
/// starts a new epoch, which tells every node to reread everything once.
/// </summary>
public interface IChangeFeedGrain : IGrainWithIntegerKey
{
    ValueTask AnnounceAsync(ClusterTopic topic, CancellationToken cancellationToken = default);

    ValueTask<ChangeVersions> GetVersionsAsync(CancellationToken cancellationToken = default);
}
