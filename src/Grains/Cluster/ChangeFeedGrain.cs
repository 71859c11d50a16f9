using System.Collections.Immutable;

namespace LlmRouter.Grains.Cluster;

/// <summary>The cluster's change feed: topic versions in memory, a fresh epoch per activation (see <see cref="IChangeFeedGrain"/>).</summary>
public sealed class ChangeFeedGrain : Grain, IChangeFeedGrain
{
    /// <summary>Topics are a handful of constants; a caller naming more is refused rather than let grow the state.</summary>
    public const int MaxTopics = 64;

    private readonly Guid _epoch = Guid.NewGuid();
    private ImmutableDictionary<string, long> _topics = ImmutableDictionary.Create<string, long>(StringComparer.Ordinal);

    public ValueTask AnnounceAsync(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (!_topics.ContainsKey(topic) && _topics.Count >= MaxTopics)
        {
            throw new ArgumentException($"The change feed keeps at most {MaxTopics} topics.", nameof(topic));
        }
        _topics = _topics.SetItem(topic, _topics.GetValueOrDefault(topic) + 1);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ChangeVersions> GetVersionsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new ChangeVersions(_epoch, _topics));
}
