using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Auth;

/// <summary>
/// What makes the localhost rule safe against a web page in a browser on the same machine, checked before
/// authentication: a local caller must name a known host (no DNS rebinding); a request a browser marks as sent from
/// another site is refused, except an inference call carrying a credential, which then gets no localhost bypass;
/// bodies are JSON only (no form or text/plain post reaches a handler without a CORS preflight); management
/// endpoints take small bodies only.
/// </summary>
public sealed partial class BrowserRequestGuard(RequestDelegate next, IRouterConfigSource config, ILogger<BrowserRequestGuard> logger)
{
    /// <summary>The largest body a management endpoint (login, keys, providers, models, rules, toggle) reads.</summary>
    public const long ManagementBodyBytes = 64 * 1024;

    private static readonly object CrossSiteMark = new();

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var server = config.Current.Server;
        if (LocalRequest.IsLocal(http) && !IsKnownHost(request.Host, server))
        {
            LogRefused(logger, request.Method, request.Path, "unknown Host from a local caller");
            await AuthErrorWriter.WriteAsync(http, HostNotAllowed(request.Host.Host)).ConfigureAwait(false);
            return;
        }
        var inference = IsInference(request);
        if (IsCrossSite(request))
        {
            if (!inference || CredentialReader.Read(request) is null)
            {
                LogRefused(logger, request.Method, request.Path, "cross-site request");
                await AuthErrorWriter.WriteAsync(http, CrossSite()).ConfigureAwait(false);
                return;
            }
            http.Items[CrossSiteMark] = true;
        }
        if (HasBody(http))
        {
            if (!IsJson(request.ContentType))
            {
                await AuthErrorWriter.WriteAsync(http, NotJson(request.ContentType)).ConfigureAwait(false);
                return;
            }
            if (!inference)
            {
                if (request.ContentLength > ManagementBodyBytes)
                {
                    // The body stays unread: the connection closes after the answer rather than being drained.
                    http.Response.Headers.Connection = "close";
                    await AuthErrorWriter.WriteAsync(http, ApiErrors.BodyTooLarge(ManagementBodyBytes)).ConfigureAwait(false);
                    return;
                }
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                {
                    size.MaxRequestBodySize = ManagementBodyBytes;
                }
            }
        }
        await next(http).ConfigureAwait(false);
    }

    /// <summary>True when the browser said this request came from another site: such a caller is never local.</summary>
    public static bool IsCrossSite(HttpContext http) => http.Items.ContainsKey(CrossSiteMark);

    /// <summary>
    /// localhost (and *.localhost, which browsers resolve to loopback themselves), loopback addresses, the configured
    /// listen host and <c>[server] allowed_hosts</c>. A request without a Host header comes from no browser.
    /// </summary>
    public static bool IsKnownHost(HostString host, ServerConfig server)
    {
        if (!host.HasValue)
        {
            return true;
        }
        var name = host.Host.Trim('[', ']');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (IPAddress.TryParse(name, out var address) && LocalRequest.IsLoopback(address))
        {
            return true;
        }
        if (name.Equals(server.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        foreach (var allowed in server.AllowedHosts)
        {
            if (name.Equals(allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A browser's own word (Sec-Fetch-Site cross-site or same-site), or an Origin other than the one the request is
    /// addressed to (its Host, or the X-Forwarded-Host a proxy put there). Clients that are not browsers send neither.
    /// </summary>
    private static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || site.Equals("same-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false;
        }
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return true;
        }
        var authority = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        return !SameAuthority(authority, request.Host.Value) && !SameAuthority(authority, request.Headers["X-Forwarded-Host"].ToString());
    }

    private static bool SameAuthority(string origin, string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }
        // A Host with the scheme's default port written out (":80", ":443") names the same authority as one without.
        var bare = host.EndsWith(":80", StringComparison.Ordinal) || host.EndsWith(":443", StringComparison.Ordinal) ? host[..host.LastIndexOf(':')] : host;
        return origin.Equals(host, StringComparison.OrdinalIgnoreCase) || origin.Equals(bare, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The calls a model answers (OpenAI's and Anthropic's /v1, the native model URLs, tag routing).</summary>
    private static bool IsInference(HttpRequest request)
    {
        var path = request.Path;
        return path.StartsWithSegments("/v1", StringComparison.Ordinal)
            || path.StartsWithSegments("/route/invoke", StringComparison.Ordinal)
            || HttpMethods.IsPost(request.Method) && path.Value is { } value && value.StartsWith("/models/", StringComparison.Ordinal);
    }

    private static bool HasBody(HttpContext http) =>
        http.Request.ContentLength is > 0
        || http.Request.ContentLength is null && http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;

    private static bool IsJson(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    private static ApiError HostNotAllowed(string host) => new(421, "invalid_request_error",
        $"This router does not serve the host name '{host}' to local callers; name it in [server] allowed_hosts (or LLM_ROUTER_ALLOWED_HOSTS) if it is yours.",
        Code: "host_not_allowed");

    private static ApiError CrossSite() => new(403, "permission_error",
        "Requests from another web site are refused; only inference calls that carry an API key may come from a browser page of another origin.",
        Code: "cross_site_request");

    private static ApiError NotJson(string? contentType) => new(415, "invalid_request_error",
        $"Request bodies must be JSON sent as 'Content-Type: application/json', not '{contentType ?? "(none)"}'.",
        Code: "unsupported_media_type");

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason);
}
