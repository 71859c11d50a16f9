using System.Collections.Immutable;

namespace LlmRouter.Grains.Cluster;

/// <summary>The cluster's change feed: topic versions in memory, a fresh epoch per activation (see <see cref="IChangeFeedGrain"/>).</summary>
public sealed class ChangeFeedGrain : Grain, IChangeFeedGrain
{
    private readonly Guid _epoch = Guid.NewGuid();
    private ImmutableDictionary<ClusterTopic, long> _topics = ImmutableDictionary<ClusterTopic, long>.Empty;

    public ValueTask AnnounceAsync(ClusterTopic topic, CancellationToken cancellationToken = default)
    {
        // The topics are a closed set: a caller naming another value is refused rather than let grow the state.
        if (!Enum.IsDefined(topic))
        {
            throw new ArgumentOutOfRangeException(nameof(topic), topic, "The change feed has no such topic.");
        }
        _topics = _topics.SetItem(topic, _topics.GetValueOrDefault(topic) + 1);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ChangeVersions> GetVersionsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new ChangeVersions(_epoch, _topics));
}
