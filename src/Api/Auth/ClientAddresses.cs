using System.Net;

namespace LlmRouter.Api.Auth;

/// <summary>
/// A request's client address: its TCP peer, unless that peer is a proxy the operator trusts
/// (<c>[server] trusted_proxies</c>), whose X-Forwarded-For entries are then read from the right, skipping trusted
/// proxies, to the first address no trusted proxy stands for. Anybody else's X-Forwarded-For is ignored, so a client
/// cannot pick its own address by sending the header.
/// </summary>
public sealed class ClientAddresses
{
    private readonly IRouterConfigSource _config;
    private volatile ParsedProxies? _parsed;

    public ClientAddresses(IRouterConfigSource config) => _config = config;

    public string Of(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is not { } peer)
        {
            return "";
        }
        var client = Normalize(peer);
        var trusted = Trusted();
        if (trusted.Count == 0 || !IsTrusted(trusted, client))
        {
            return client.ToString();
        }
        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
        var entries = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(entries[i], out var hop))
            {
                break;
            }
            client = Normalize(hop);
            if (!IsTrusted(trusted, client))
            {
                break;
            }
        }
        return client.ToString();
    }

    private IReadOnlyList<IPNetwork> Trusted()
    {
        var configured = _config.Current.Server.TrustedProxies;
        var parsed = _parsed;
        if (parsed is null || !ReferenceEquals(parsed.From, configured))
        {
            parsed = new ParsedProxies(configured, configured.Select(Parse).ToArray());
            _parsed = parsed;
        }
        return parsed.Networks;
    }

    private sealed record ParsedProxies(IReadOnlyList<string> From, IReadOnlyList<IPNetwork> Networks);

    private static IPNetwork Parse(string proxy) =>
        IPAddress.TryParse(proxy, out var address)
            ? new IPNetwork(Normalize(address), address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : IPNetwork.Parse(proxy);

    private static bool IsTrusted(IReadOnlyList<IPNetwork> trusted, IPAddress address)
    {
        foreach (var network in trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
