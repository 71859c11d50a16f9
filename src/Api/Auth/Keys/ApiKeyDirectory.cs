using System.Collections.Concurrent;
using LlmRouter.Abstractions.Access;

namespace LlmRouter.Api.Auth.Keys;

/// <summary>
/// Every client API key: those of the configuration in force (read-only here, the file wins) and those in the
/// store (created over REST or the CLI). Secrets are hashed before any lookup and returned only once, at creation.
/// Names are unique across both. Disabling a key (in the file, over REST or the CLI) or deleting it ends its
/// sessions for good.
/// </summary>
public sealed class ApiKeyDirectory(
    IRouterConfigSource config, RouterEnvironment environment, IApiKeyStore store, ISessionStore sessions, SecretHasher hasher, TimeProvider time)
{
    /// <summary>Last-used times are written at most this often per key and node, so a busy key does not write on every call.</summary>
    public static readonly TimeSpan UseRecordInterval = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, long> _lastRecorded = new(StringComparer.Ordinal);
    private volatile ConfiguredApiKeys? _configured;

    public async ValueTask<ApiKeyRecord?> FindBySecretAsync(string secret, CancellationToken cancellationToken = default)
    {
        var hash = await hasher.HashAsync(secret, cancellationToken).ConfigureAwait(false);
        var configured = await ConfiguredAsync(cancellationToken).ConfigureAwait(false);
        return configured.ByHash(hash) ?? await store.FindBySecretHashAsync(hash, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var configured = await ConfiguredAsync(cancellationToken).ConfigureAwait(false);
        if (configured.ById(id) is not { } fromConfig)
        {
            return await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        }
        // A config key's last use is kept in the store, as the list shows it.
        var used = await store.LastUsedAsync([id], cancellationToken).ConfigureAwait(false);
        return used.TryGetValue(id, out var at) ? fromConfig with { LastUsedAt = at } : fromConfig;
    }

    /// <summary>Configured keys first (in file order), then stored keys (oldest first).</summary>
    public async ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var configured = await ConfiguredAsync(cancellationToken).ConfigureAwait(false);
        var stored = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var used = await store.LastUsedAsync(configured.Keys.Select(k => k.Id).ToArray(), cancellationToken).ConfigureAwait(false);
        return
        [
            .. configured.Keys.Select(k => used.TryGetValue(k.Id, out var at) ? k with { LastUsedAt = at } : k),
            .. stored.Where(k => configured.ById(k.Id) is null),
        ];
    }

    public async ValueTask<ApiKeyOutcome> CreateAsync(NewApiKey request, CancellationToken cancellationToken = default)
    {
        if (ApiKeyValidation.Check(request) is { } invalid)
        {
            return invalid;
        }
        var configured = await ConfiguredAsync(cancellationToken).ConfigureAwait(false);
        if (await NameTakenAsync(configured, request.Name, exceptId: null, cancellationToken).ConfigureAwait(false) is { } taken)
        {
            return taken;
        }
        var secret = request.Secret ?? SecretTokens.NewApiKey(request.Prefix);
        var hash = await hasher.HashAsync(secret, cancellationToken).ConfigureAwait(false);
        if (configured.ByHash(hash) is not null)
        {
            return ApiKeyOutcome.Fail(ApiKeyFailure.Conflict, "That key is already in use; choose another.", "key");
        }
        var now = time.GetUtcNow();
        var key = new ApiKeyRecord(request)
        {
            Id = SecretTokens.NewKeyId(),
            Name = request.Name,
            SecretHash = hash,
            Source = ApiKeySources.Store,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!await store.CreateAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return ApiKeyOutcome.Fail(ApiKeyFailure.Conflict, "That key is already in use; choose another.", "key");
        }
        return new ApiKeyOutcome { Key = key, Secret = secret };
    }

    public async ValueTask<ApiKeyOutcome> UpdateAsync(string id, ApiKeyChanges changes, CancellationToken cancellationToken = default)
    {
        var configured = await ConfiguredAsync(cancellationToken).ConfigureAwait(false);
        if (configured.ById(id) is not null)
        {
            return ReadOnly(id);
        }
        if (ApiKeyValidation.Check(changes) is { } invalid)
        {
            return invalid;
        }
        if (changes.Name is { } name && await NameTakenAsync(configured, name.Value, id, cancellationToken).ConfigureAwait(false) is { } taken)
        {
            return taken;
        }
        var updated = await store.UpdateAsync(id, changes, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (updated is null)
        {
            return NotFound(id);
        }
        if (changes.IsActive is { Value: false })
        {
            await sessions.RevokeForKeyAsync(id, cancellationToken).ConfigureAwait(false);
        }
        return new ApiKeyOutcome { Key = updated };
    }

    public async ValueTask<ApiKeyOutcome> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var configured = await ConfiguredAsync(cancellationToken).ConfigureAwait(false);
        if (configured.ById(id) is { } fromConfig)
        {
            return ReadOnly(fromConfig.Id);
        }
        var existing = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (existing is null || !await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return NotFound(id);
        }
        await sessions.RevokeForKeyAsync(id, cancellationToken).ConfigureAwait(false);
        return new ApiKeyOutcome { Key = existing };
    }

    /// <summary>Notes a use of the key; returns false without touching the store when it was recorded recently.</summary>
    public async ValueTask<bool> RecordUseAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        var now = time.GetTimestamp();
        var due = false;
        // Racing callers may both find the entry due; the store keeps the later time, so that is harmless.
        _lastRecorded.AddOrUpdate(
            key.Id,
            _ => { due = true; return now; },
            (_, previous) => (due = time.GetElapsedTime(previous, now) >= UseRecordInterval) ? now : previous);
        if (!due)
        {
            return false;
        }
        await store.TouchAsync(key.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A conflict when another key has <paramref name="name"/>: metrics and the api_key filter name keys, so two keys
    /// sharing one would be counted as one. Two admins creating one name at the same instant may both pass.
    /// </summary>
    private async ValueTask<ApiKeyOutcome?> NameTakenAsync(ConfiguredApiKeys configured, string name, string? exceptId, CancellationToken cancellationToken)
    {
        if (configured.HasName(name))
        {
            return ApiKeyOutcome.Fail(ApiKeyFailure.Conflict, $"A key named '{name}' is defined in router.toml.", "name");
        }
        var stored = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        return stored.Any(k => k.Name == name && k.Id != exceptId)
            ? ApiKeyOutcome.Fail(ApiKeyFailure.Conflict, $"A key named '{name}' already exists; key names are unique.", "name")
            : null;
    }

    private async ValueTask<ConfiguredApiKeys> ConfiguredAsync(CancellationToken cancellationToken)
    {
        var source = config.Current.ApiKeys;
        var current = _configured;
        if (current is not null && ReferenceEquals(current.Source, source))
        {
            return current;
        }
        var built = await ConfiguredApiKeys.BuildAsync(source, environment, hasher, cancellationToken).ConfigureAwait(false);
        // A key the file disables loses its sessions for good, as a stored key does; done before the snapshot is
        // published, so a failed revocation is tried again by the next caller.
        foreach (var key in built.Keys.Where(k => !k.IsActive))
        {
            await sessions.RevokeForKeyAsync(key.Id, cancellationToken).ConfigureAwait(false);
        }
        _configured = built;
        return built;
    }

    private static ApiKeyOutcome NotFound(string id) => ApiKeyOutcome.Fail(ApiKeyFailure.NotFound, $"No API key has the id '{id}'.");

    private static ApiKeyOutcome ReadOnly(string id) =>
        ApiKeyOutcome.Fail(ApiKeyFailure.ReadOnly, $"The API key '{id}' is defined in router.toml or LLM_ROUTER_API_KEYS; change it there.");
}
