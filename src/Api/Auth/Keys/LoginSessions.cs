using LlmRouter.Abstractions.Access;

namespace LlmRouter.Api.Auth.Keys;

/// <summary>
/// Login sessions: an opaque 256-bit bearer token, stored only as its hash, that stands for an API key until it
/// expires or is revoked, and that may carry a bound model. Session state lives in the store, so every node sees it.
/// </summary>
public sealed class LoginSessions(ISessionStore store, SecretHasher hasher, IRouterConfigSource config, TimeProvider time)
{
    /// <summary>Expired sessions are swept at most this often per node (on login), keeping the table small.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    private long _lastSweep;

    public TimeSpan Ttl => TimeSpan.FromSeconds(config.Current.Server.SessionTtlSeconds);

    /// <summary>Opens a session for <paramref name="key"/>; the token is returned here and never again.</summary>
    public async ValueTask<(string Token, SessionRecord Session)> LoginAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        await SweepIfDueAsync(cancellationToken).ConfigureAwait(false);
        var token = SecretTokens.NewSessionToken();
        var now = time.GetUtcNow();
        var session = new SessionRecord
        {
            Id = SecretTokens.NewSessionId(),
            TokenHash = await hasher.HashAsync(token, cancellationToken).ConfigureAwait(false),
            ApiKeyId = key.Id,
            CreatedAt = now,
            ExpiresAt = now + Ttl,
        };
        await store.CreateAsync(session, cancellationToken).ConfigureAwait(false);
        return (token, session);
    }

    public async ValueTask<SessionRecord?> FindAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = await hasher.HashAsync(token, cancellationToken).ConfigureAwait(false);
        return await store.FindAsync(hash, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Binds <paramref name="modelId"/> (<c>provider/model</c>); null when the session ended meanwhile.</summary>
    public ValueTask<SessionRecord?> BindModelAsync(SessionRecord session, string modelId, CancellationToken cancellationToken = default) =>
        store.BindModelAsync(session.TokenHash, modelId, time.GetUtcNow(), cancellationToken);

    public ValueTask<bool> LogoutAsync(SessionRecord session, CancellationToken cancellationToken = default) =>
        store.RevokeAsync(session.TokenHash, cancellationToken);

    private async ValueTask SweepIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastSweep);
        if (last != 0 && time.GetElapsedTime(last, now) < SweepInterval || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }
        await store.RemoveExpiredAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }
}
