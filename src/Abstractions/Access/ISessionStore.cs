namespace LlmRouter.Abstractions.Access;

/// <summary>
/// Login sessions, found by the hash of their token, so that any node can serve any session. Every method that
/// changes state is one atomic statement on the session's own row; expired sessions are never returned.
/// </summary>
public interface ISessionStore
{
    ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken = default);

    /// <summary>The live session with this token hash, or null when there is none or it expired before <paramref name="now"/>.</summary>
    ValueTask<SessionRecord?> FindAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Binds a model to a live session; null when the session is gone or expired.</summary>
    ValueTask<SessionRecord?> BindModelAsync(string tokenHash, string modelId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Ends a session at once; false when there was none.</summary>
    ValueTask<bool> RevokeAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Ends every session of a key (when the key is deleted).</summary>
    ValueTask<int> RevokeForKeyAsync(string apiKeyId, CancellationToken cancellationToken = default);

    /// <summary>Deletes sessions that expired before <paramref name="now"/>; returns how many.</summary>
    ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
