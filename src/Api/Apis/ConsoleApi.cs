using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// The web console at /ui/: the static files the build put in wwwroot/ui beside the node's assemblies. The pages
/// themselves need no credential (they hold no data); every API call they make is authenticated as usual.
/// </summary>
public static class ConsoleApi
{
    public const string BasePath = "/ui";

    /// <summary>Maps /ui (a redirect to /ui/) and the console's files under /ui/; <paramref name="directory"/> overrides where they are.</summary>
    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder app, string? directory = null)
    {
        var files = new ConsoleFiles(directory ?? Path.Combine(AppContext.BaseDirectory, "wwwroot", "ui"));
        // One route for both: "/ui/{**path}" also matches "/ui", which gets a redirect so relative asset URLs resolve.
        app.MapMethods(BasePath + "/{**path}", [HttpMethods.Get, HttpMethods.Head], (string? path, HttpContext http) =>
                string.IsNullOrEmpty(path) && !http.Request.Path.Value!.EndsWith('/')
                    ? TypedResults.Redirect(BasePath + "/" + http.Request.QueryString)
                    : files.Serve(path, http))
            .AllowAnonymous();
        return app;
    }

    internal static IResult NotFound(string message) =>
        ErrorWriter.Result(new ApiError(404, "invalid_request_error", message, Code: "not_found"));
}
