namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// The cluster's list of client addresses locked out for guessing credentials, one activation (key 0): an address's
/// <see cref="ICredentialGuessGrain"/> adds it when its window fills, the list announces
/// <see cref="ClusterTopic.Lockouts"/> on the change feed, and every node reads what it has not seen yet, so a lockout
/// reaches every node within a poll of the feed. Held in memory: a new activation starts a new epoch.
/// </summary>
public interface ICredentialLockoutsGrain : IGrainWithIntegerKey
{
    ValueTask AddAsync(string address, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>The lockouts added after <paramref name="after"/> in <paramref name="epoch"/>, or all live ones when the epoch is another.</summary>
    ValueTask<CredentialLockouts> GetSinceAsync(Guid epoch, long after, CancellationToken cancellationToken = default);
}
