namespace LlmRouter.Persistence;

/// <summary>
/// A parsed LLM_ROUTER_DATABASE_URL in the seeds' SQLAlchemy style: <c>sqlite:///relative.db</c>,
/// <c>sqlite:////absolute/path.db</c> (a <c>+driver</c> suffix such as <c>sqlite+aiosqlite</c> is accepted), or
/// <c>postgresql://user:password@host:port/db</c>.
/// </summary>
public sealed record DatabaseUrl(DatabaseKind Kind, string Target)
{
    public const string Default = "sqlite:///llm_router.db";

    public static DatabaseUrl Parse(string? url, string baseDirectory)
    {
        var text = string.IsNullOrWhiteSpace(url) ? Default : url.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw new FormatException($"database URL '{Redact(text)}' has no scheme (expected sqlite:///file.db or postgresql://…)");
        }
        var scheme = text[..schemeEnd].ToLowerInvariant();
        var plus = scheme.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            scheme = scheme[..plus];
        }
        var rest = text[(schemeEnd + 3)..];
        switch (scheme)
        {
            case "sqlite":
                if (!rest.StartsWith('/') || rest.Length < 2)
                {
                    throw new FormatException($"database URL '{text}' must be sqlite:///relative/path.db or sqlite:////absolute/path.db");
                }
                var path = rest[1..];
                return new DatabaseUrl(DatabaseKind.Sqlite, Path.IsPathRooted(path) ? path : Path.GetFullPath(path, baseDirectory));
            case "postgresql" or "postgres":
                return new DatabaseUrl(DatabaseKind.PostgreSql, "postgresql://" + rest);
            default:
                throw new FormatException($"database URL scheme '{scheme}' is not supported (use sqlite or postgresql)");
        }
    }

    /// <summary>The URL without its password, for logs and errors.</summary>
    public static string Redact(string url)
    {
        var at = url.LastIndexOf('@');
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || schemeEnd < 0)
        {
            return url;
        }
        var credentials = url[(schemeEnd + 3)..at];
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? url : url[..(schemeEnd + 3 + colon + 1)] + "***" + url[at..];
    }

    public override string ToString() => Kind == DatabaseKind.Sqlite ? "sqlite:" + Target : Redact(Target);
}
