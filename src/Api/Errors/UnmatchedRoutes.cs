using LlmRouter.Api.ClientFormats.Anthropic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Errors;

/// <summary>
/// Answers requests no endpoint took: 405 with an <c>Allow</c> header when the path is known under other methods,
/// else 404, in the error shape of the path's API (Anthropic's under /v1/messages, OpenAI's elsewhere). A catch-all
/// fallback outranks ASP.NET Core's own 405, so the methods are found here by matching the endpoints' patterns.
/// </summary>
public static class UnmatchedRoutes
{
    /// <summary>Maps the fallback; call after every other endpoint is mapped.</summary>
    public static IEndpointRouteBuilder MapUnmatchedRoutes(this IEndpointRouteBuilder app)
    {
        var methods = new KnownMethods(app.ServiceProvider.GetRequiredService<EndpointDataSource>());
        app.MapFallback((HttpContext http) => WriteAsync(http, methods));
        return app;
    }

    private static Task WriteAsync(HttpContext http, KnownMethods methods)
    {
        var request = http.Request;
        var allowed = methods.For(request.Path, request.Method);
        ApiError error;
        if (allowed.Count > 0)
        {
            var allow = string.Join(", ", allowed);
            http.Response.Headers.Allow = allow;
            error = new ApiError(405, "invalid_request_error",
                $"{request.Method} is not allowed on {request.Path}; use {string.Join(" or ", allowed)}.", Code: "method_not_allowed");
        }
        else
        {
            error = new ApiError(404, "invalid_request_error", $"Unknown route: {request.Method} {request.Path}", Code: "not_found");
        }
        return request.Path.StartsWithSegments("/v1/messages", StringComparison.Ordinal)
            ? AnthropicErrors.WriteAsync(http, error)
            : ErrorWriter.WriteAsync(http, error);
    }

    /// <summary>The route patterns of endpoints limited to some methods, read once the app has mapped them all.</summary>
    private sealed class KnownMethods(EndpointDataSource source)
    {
        private readonly Lazy<(TemplateMatcher Matcher, IReadOnlyList<string> Methods)[]> _routes = new(() =>
        [
            .. source.Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
                .Select(e => (new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary(e.RoutePattern.Defaults)),
                    e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)),
        ]);

        /// <summary>
        /// The methods the path is served under, sorted; none when it is unknown, or when an endpoint of the request's
        /// own method has the pattern (its constraints refused the values, so the path is as good as unknown).
        /// </summary>
        public IReadOnlyList<string> For(PathString path, string method)
        {
            var allowed = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (matcher, methods) in _routes.Value)
            {
                if (!matcher.TryMatch(path, new RouteValueDictionary()))
                {
                    continue;
                }
                if (methods.Contains(method, StringComparer.OrdinalIgnoreCase))
                {
                    return [];
                }
                allowed.UnionWith(methods);
            }
            return [.. allowed];
        }
    }
}
