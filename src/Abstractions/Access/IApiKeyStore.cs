namespace LlmRouter.Abstractions.Access;

/// <summary>
/// The API keys created over REST or the CLI (router.toml keys live in the configuration, not here). Every
/// method that changes state is one atomic statement on the key's own row.
/// </summary>
public interface IApiKeyStore
{
    ValueTask<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    ValueTask<ApiKeyRecord?> FindBySecretHashAsync(string secretHash, CancellationToken cancellationToken = default);

    /// <summary>Every stored key, oldest first, with its last-used time.</summary>
    ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts a new key; false when its id or secret hash is already taken.</summary>
    ValueTask<bool> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="changes"/> in one statement; null when no key has this id.</summary>
    ValueTask<ApiKeyRecord?> UpdateAsync(string id, ApiKeyChanges changes, DateTimeOffset now, CancellationToken cancellationToken = default);

    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Records that a key (stored or from the configuration) was used; the time only moves forward.</summary>
    ValueTask TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken = default);

    /// <summary>Last-used times of the given key ids (ids never used are absent).</summary>
    ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LastUsedAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);
}
