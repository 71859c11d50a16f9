using System.Net;

namespace LlmRouter.Api.Auth;

/// <summary>
/// The localhost rule: a request is local only when its TCP peer is a loopback address and it carries none of the
/// headers proxies, CDNs and load balancers add (Forwarded, X-Forwarded-*, X-Real-IP, Via, X-Client-IP, …).
/// Whatever came through a proxy is remote, and a client that adds such a header itself can only make its request
/// less trusted. A relay on the same machine that adds none of them (a bare nginx proxy_pass, ssh -L, kubectl
/// port-forward) cannot be told apart from a local program: README says to turn the bypass off there.
/// </summary>
public static class LocalRequest
{
    private static readonly string[] ProxyHeaders =
    [
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server",
        "X-Original-Forwarded-For", "X-Real-IP", "Via", "X-Client-IP", "Client-IP", "X-Cluster-Client-IP",
        "CF-Connecting-IP", "True-Client-IP", "Fastly-Client-IP", "X-ProxyUser-Ip", "X-Envoy-External-Address",
    ];

    public static bool IsLocal(HttpContext http)
    {
        if (!IsLoopback(http.Connection.RemoteIpAddress))
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

    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
