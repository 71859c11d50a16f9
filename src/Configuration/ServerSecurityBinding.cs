using System.Net;

namespace LlmRouter.Configuration;

/// <summary>Binds and checks the [server] keys that widen who is trusted: trusted proxies and REST providers' variables.</summary>
internal static class ServerSecurityBinding
{
    /// <summary>The prefix of the router's own variables, which a provider defined over REST may never read.</summary>
    public const string ReservedEnvPrefix = "LLM_ROUTER_";

    public static IReadOnlyList<string> TrustedProxies(TomlSection s)
    {
        var proxies = s.OptionalStringList("trusted_proxies") ?? [];
        foreach (var proxy in proxies)
        {
            if (!IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _))
            {
                throw s.Error("trusted_proxies", $"'{proxy}' in trusted_proxies is neither an IP address nor a CIDR range such as 10.0.0.0/8");
            }
        }
        return proxies;
    }

    public static IReadOnlyList<string> RestApiKeyEnvs(TomlSection s)
    {
        var names = s.OptionalStringList("rest_api_key_envs") ?? [];
        if (names.Select(RestApiKeyEnvProblem).FirstOrDefault(p => p is not null) is { } problem)
        {
            throw s.Error("rest_api_key_envs", problem + " in rest_api_key_envs");
        }
        return names;
    }

    /// <summary>Why <paramref name="name"/> cannot be an entry of rest_api_key_envs, or null when it can.</summary>
    public static string? RestApiKeyEnvProblem(string name)
    {
        var prefix = name.EndsWith('*') ? name[..^1] : name;
        if (prefix.Length == 0 || prefix.Contains('*', StringComparison.Ordinal))
        {
            return $"'{name}' must be a variable name, or a non-empty prefix ending in '*'";
        }
        if (ReservedEnvPrefix.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(ReservedEnvPrefix, StringComparison.Ordinal))
        {
            return $"'{name}' would let providers defined over REST read the router's own {ReservedEnvPrefix}* variables";
        }
        return null;
    }
}
