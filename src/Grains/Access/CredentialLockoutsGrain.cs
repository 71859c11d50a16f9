namespace LlmRouter.Grains.Access;

/// <summary>The cluster's live lockouts in the order they were added (see <see cref="ICredentialLockoutsGrain"/>).</summary>
public sealed class CredentialLockoutsGrain : Grain, ICredentialLockoutsGrain
{
    private readonly Guid _epoch = Guid.NewGuid();
    private readonly List<(long Position, CredentialLockout Lockout)> _added = [];
    private long _last;

    public async ValueTask AddAsync(string address, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        // A lockout lasts at most one window: those that ended before this one began are over everywhere.
        _added.RemoveAll(a => a.Lockout.Until <= until - CredentialGuessGrain.Window);
        _added.Add((++_last, new CredentialLockout(address, until)));
        await GrainFactory.GetGrain<IChangeFeedGrain>(0).AnnounceAsync(ClusterTopic.Lockouts, cancellationToken);
    }

    public ValueTask<CredentialLockouts> GetSinceAsync(Guid epoch, long after, CancellationToken cancellationToken = default)
    {
        var from = epoch == _epoch ? after : 0;
        return ValueTask.FromResult(new CredentialLockouts(_epoch, _last, _added.Where(a => a.Position > from).Select(a => a.Lockout).ToArray()));
    }
}
