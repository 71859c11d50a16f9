using System.Security.Cryptography;
using System.Text;
using LlmRouter.Abstractions.Access;

namespace LlmRouter.Api.Auth.Keys;

/// <summary>
/// The keys of one configuration snapshot (router.toml and LLM_ROUTER_API_KEYS), hashed once at load and
/// indexed by id, name and secret hash. Ids derive from names, so they survive restarts and reloads.
/// </summary>
internal sealed class ConfiguredApiKeys
{
    private readonly Dictionary<string, ApiKeyRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApiKeyRecord> _byHash = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    private ConfiguredApiKeys(IReadOnlyList<ApiKeyConfig> source, List<ApiKeyRecord> keys)
    {
        Source = source;
        Keys = keys;
        foreach (var key in keys)
        {
            _byId[key.Id] = key;
            _names.Add(key.Name);
            if (key.SecretHash is { } hash)
            {
                _byHash.TryAdd(hash, key);
            }
        }
    }

    /// <summary>The configuration list these keys were built from (compared by reference to notice reloads).</summary>
    public IReadOnlyList<ApiKeyConfig> Source { get; }

    public IReadOnlyList<ApiKeyRecord> Keys { get; }

    public static string IdFor(string name) =>
        "cfg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..16];

    public static async ValueTask<ConfiguredApiKeys> BuildAsync(
        IReadOnlyList<ApiKeyConfig> source, RouterEnvironment environment, SecretHasher hasher, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyRecord>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var config in source)
        {
            var id = IdFor(config.Name);
            if (!ids.Add(id))
            {
                // A repeated name would share an id; the first definition is the one in force.
                continue;
            }
            var secret = config.KeyEnv is { Length: > 0 } variable && environment.Get(variable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : config.Key;
            keys.Add(new ApiKeyRecord(config)
            {
                Id = id,
                Name = config.Name,
                SecretHash = string.IsNullOrEmpty(secret) ? null : await hasher.HashAsync(secret, cancellationToken).ConfigureAwait(false),
                Source = ApiKeySources.Config,
            });
        }
        return new ConfiguredApiKeys(source, keys);
    }

    public ApiKeyRecord? ById(string id) => _byId.GetValueOrDefault(id);

    public ApiKeyRecord? ByHash(string hash) => _byHash.GetValueOrDefault(hash);

    public bool HasName(string name) => _names.Contains(name);
}
