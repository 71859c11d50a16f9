namespace LlmRouter.Api.Auth.Keys;

/// <summary>
/// Turns a presented credential (an API key or a session token) into the active key it stands for. A session
/// is only as good as its key: disabling or deleting the key ends its sessions' access at once.
/// </summary>
public sealed class CredentialResolver(ApiKeyDirectory keys, LoginSessions sessions)
{
    public async ValueTask<ResolvedCredential?> ResolveAsync(string credential, CancellationToken cancellationToken = default)
    {
        if (credential.StartsWith(SecretTokens.SessionPrefix, StringComparison.Ordinal)
            && await sessions.FindAsync(credential, cancellationToken).ConfigureAwait(false) is { } session)
        {
            var owner = await keys.GetAsync(session.ApiKeyId, cancellationToken).ConfigureAwait(false);
            return owner is { IsActive: true } ? new ResolvedCredential(owner, session) : null;
        }
        var key = await keys.FindBySecretAsync(credential, cancellationToken).ConfigureAwait(false);
        return key is { IsActive: true } ? new ResolvedCredential(key, null) : null;
    }
}
