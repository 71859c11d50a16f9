using System.Net;
using Microsoft.AspNetCore.Http;

namespace LlmRouter.Api.Auth;

/// <summary>
/// The localhost rule: a request is local only when its TCP peer is a loopback address and it carries no
/// Forwarded, X-Forwarded-For or X-Real-IP header. Whatever came through a proxy is remote, and a client that
/// adds such a header itself can only make its request less trusted.
/// </summary>
public static class LocalRequest
{
    private static readonly string[] ProxyHeaders = ["Forwarded", "X-Forwarded-For", "X-Real-IP"];

    public static bool IsLocal(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is not { } peer)
        {
            return false;
        }
        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }
        if (!IPAddress.IsLoopback(peer))
        {
            return false;
        }
        foreach (var header in ProxyHeaders)
        {
            if (http.Request.Headers.ContainsKey(header))
            {
                return false;
            }
        }
        return true;
    }
}
