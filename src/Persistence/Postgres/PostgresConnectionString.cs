using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// Turns <c>postgresql://user:password@host:port/database?sslmode=…</c> into an Npgsql connection string. Query
/// parameters: <c>sslmode</c>, <c>application_name</c>, <c>connect_timeout</c>, <c>command_timeout</c> (seconds a
/// statement may run, 30 by default; migrations run as long as they need), <c>host</c> (e.g. a socket directory) and
/// <c>max_pool_size</c> (per node; keep nodes × pool under the server's max_connections).
/// </summary>
public static class PostgresConnectionString
{
    public const int DefaultMaxPoolSize = 25;

    public static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw new FormatException($"'{DatabaseUrl.Redact(url)}' is not a postgresql://user:password@host:port/database URL");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : "postgres",
            MaxPoolSize = DefaultMaxPoolSize,
            ApplicationName = "llm-router",
            NoResetOnClose = true,
            // The same few statements run on every call: let Npgsql prepare them once per connection.
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            switch (name)
            {
                case "sslmode":
                    builder.SslMode = Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                        ? mode
                        : throw new FormatException($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full");
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "connect_timeout":
                    builder.Timeout = Number(name, value);
                    break;
                case "command_timeout":
                    builder.CommandTimeout = Number(name, value);
                    break;
                case "max_pool_size":
                    builder.MaxPoolSize = Number(name, value);
                    break;
                case "host":
                    builder.Host = value;
                    break;
                default:
                    throw new FormatException($"database URL parameter '{name}' is not supported (use sslmode, application_name, connect_timeout, command_timeout, host, max_pool_size)");
            }
        }
        return builder.ConnectionString;
    }

    private static int Number(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new FormatException($"database URL parameter '{name}' needs a positive whole number, not '{value}'");
}
