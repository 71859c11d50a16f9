using LlmRouter.Abstractions.Catalog;

namespace LlmRouter.Persistence.Stores;

/// <summary>Rows of the versioned JSON definitions (providers, models, routing rules): key, definition, version, time.</summary>
internal static class CatalogDocuments
{
    /// <summary>The row read back: key, definition, version, updated_at_ms, in that order.</summary>
    public static CatalogDocument Read(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));

    /// <summary>
    /// A revision from a sum (an integer in SQLite, a numeric in PostgreSQL). Rows are never removed and every change
    /// raises a version, so count + sum of versions only grows.
    /// </summary>
    public static long Revision(object? sum) => Convert.ToInt64(sum, CultureInfo.InvariantCulture);
}
