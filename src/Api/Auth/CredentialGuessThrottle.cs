using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace LlmRouter.Api.Auth;

/// <summary>
/// Slows down guessing of API keys and session tokens: a client address that presents <see cref="MaxFailures"/>
/// invalid credentials within <see cref="Window"/> where one is required (and at POST /auth/login) is refused (429
/// with Retry-After) for every credential, valid or not, until the window ends, so it learns nothing by guessing on.
/// Counted per node, in memory.
/// </summary>
public sealed class CredentialGuessThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _byClient = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="http"/>'s client must wait, or null when it may present a credential.</summary>
    public TimeSpan? Blocked(HttpContext http)
    {
        if (!_byClient.TryGetValue(ClientAddress(http), out var failures))
        {
            return null;
        }
        lock (failures)
        {
            var left = failures.WindowStart + Window - time.GetUtcNow();
            return failures.Count >= MaxFailures && left > TimeSpan.Zero ? left : null;
        }
    }

    /// <summary>Counts one invalid credential from <paramref name="http"/>'s client.</summary>
    public void Failed(HttpContext http)
    {
        var now = time.GetUtcNow();
        if (_byClient.Count > PruneAbove)
        {
            Prune(now);
        }
        var failures = _byClient.GetOrAdd(ClientAddress(http), static _ => new Failures());
        lock (failures)
        {
            if (now - failures.WindowStart >= Window)
            {
                failures.WindowStart = now;
                failures.Count = 0;
            }
            failures.Count++;
        }
    }

    /// <summary>
    /// The client's address: the TCP peer, unless the peer is a proxy on a loopback or private address, whose
    /// last X-Forwarded-For entry (the one it appended itself) names the client. A client on a public address
    /// cannot pick its own entry by sending the header.
    /// </summary>
    public static string ClientAddress(HttpContext http)
    {
        var peer = http.Connection.RemoteIpAddress;
        if (peer is null)
        {
            return "";
        }
        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }
        if (IsProxyAddress(peer) && http.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded)
        {
            var last = forwarded[(forwarded.LastIndexOf(',') + 1)..].Trim();
            if (IPAddress.TryParse(last, out var client))
            {
                return client.ToString();
            }
        }
        return peer.ToString();
    }

    private static bool IsProxyAddress(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6UniqueLocal || address.IsIPv6LinkLocal;
        }
        var bytes = address.GetAddressBytes();
        return bytes[0] == 10 || bytes[0] == 172 && bytes[1] is >= 16 and <= 31 || bytes[0] == 192 && bytes[1] == 168;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (client, failures) in _byClient)
        {
            bool expired;
            lock (failures)
            {
                expired = now - failures.WindowStart >= Window;
            }
            if (expired)
            {
                _byClient.TryRemove(client, out _);
            }
        }
    }

    private sealed class Failures
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Count { get; set; }
    }
}
