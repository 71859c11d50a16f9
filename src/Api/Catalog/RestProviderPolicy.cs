using LlmRouter.Grains.Catalog;

namespace LlmRouter.Api.Catalog;

/// <summary>
/// What a provider defined over REST may reach: only the environment variables the operator lists in
/// <c>[server] rest_api_key_envs</c> (never the router's own <c>LLM_ROUTER_*</c>: cluster secret, database URL, …),
/// and, when <c>[server] rest_base_urls</c> is set, only base URLs under one of its prefixes. Otherwise an admin
/// key, or a page that got one to act, could point a provider at its own server and have the router send it any
/// secret of the process. router.toml's providers are the operator's own and are not limited.
/// </summary>
public static class RestProviderPolicy
{
    public const string ReservedEnvPrefix = "LLM_ROUTER_";

    /// <summary>Null when <paramref name="provider"/> keeps to the policy; otherwise the field and why.</summary>
    public static DefinitionException? Check(ProviderConfig provider, ServerConfig server)
    {
        if (provider.ApiKeyEnv is { Length: > 0 } name && !MayRead(name, server.RestApiKeyEnvs))
        {
            return new DefinitionException("api_key_env", name.StartsWith(ReservedEnvPrefix, StringComparison.Ordinal)
                ? $"A provider defined over REST may not read the router's own variables ({ReservedEnvPrefix}*)."
                : $"A provider defined over REST may read only the variables listed in [server] rest_api_key_envs; '{name}' is not one of them.");
        }
        if (provider.BaseUrl is { } url && server.RestBaseUrls.Count > 0 && !server.RestBaseUrls.Any(prefix => UnderPrefix(url, prefix)))
        {
            return new DefinitionException("base_url", $"A provider defined over REST may use only base URLs under [server] rest_base_urls; '{url}' is not.");
        }
        return null;
    }

    /// <summary>A stored provider as it may be used: one that breaks the policy (it changed since) is kept inactive and keyless.</summary>
    public static ProviderConfig Enforce(ProviderConfig provider, ServerConfig server) =>
        Check(provider, server) is null ? provider : provider with { ApiKeyEnv = null, IsActive = false };

    private static bool MayRead(string name, IReadOnlyList<string> allowed)
    {
        if (name.StartsWith(ReservedEnvPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var entry in allowed)
        {
            var matches = entry.EndsWith('*')
                ? name.StartsWith(entry[..^1], StringComparison.Ordinal)
                : name.Equals(entry, StringComparison.Ordinal);
            if (matches)
            {
                return true;
            }
        }
        return false;
    }

    // A prefix matches whole path segments: "https://api.example.com" does not admit "https://api.example.com.evil.net".
    private static bool UnderPrefix(string url, string prefix)
    {
        var trimmed = prefix.TrimEnd('/');
        return url.Equals(trimmed, StringComparison.OrdinalIgnoreCase)
            || url.StartsWith(trimmed + "/", StringComparison.OrdinalIgnoreCase);
    }
}
