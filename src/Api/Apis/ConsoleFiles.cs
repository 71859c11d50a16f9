using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace LlmRouter.Api.Apis;

/// <summary>Serves the console's built files from one directory, never a path outside it.</summary>
internal sealed class ConsoleFiles(string directory)
{
    private const string IndexFile = "index.html";

    // The console loads only its own files and talks only to this node: nothing may leave for another origin.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;

    public IResult Serve(string? path, HttpContext http)
    {
        if (!Directory.Exists(_root))
        {
            return ConsoleApi.NotFound("The web console is not built into this node: build src/Silo with Node.js and npm on PATH.");
        }
        var relative = string.IsNullOrEmpty(path) ? IndexFile : path;
        if (Resolve(relative) is not { } file)
        {
            return ConsoleApi.NotFound($"No console file at {ConsoleApi.BasePath}/{relative}.");
        }
        var headers = http.Response.Headers;
        // Vite names assets by content hash, so they never change; index.html must be checked each time.
        headers.CacheControl = relative.StartsWith("assets/", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        var contentType = ContentTypes.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream";
        var modified = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        var tag = new EntityTagHeaderValue($"\"{modified.UtcTicks:x}-{file.Length:x}\"");
        return TypedResults.PhysicalFile(file.FullName, contentType, lastModified: modified, entityTag: tag);
    }

    /// <summary>The file for a request path, or null for anything missing, hidden, or outside the console's directory.</summary>
    private FileInfo? Resolve(string relative)
    {
        if (relative.Split('/').Any(segment => segment.Length == 0 || segment.StartsWith('.') || segment.Contains('\\', StringComparison.Ordinal)))
        {
            return null;
        }
        var full = Path.GetFullPath(Path.Combine(_root, relative));
        if (!full.StartsWith(_root, StringComparison.Ordinal))
        {
            return null;
        }
        var file = new FileInfo(full);
        return file.Exists ? file : null;
    }
}
