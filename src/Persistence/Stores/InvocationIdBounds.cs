namespace LlmRouter.Persistence.Stores;

/// <summary>
/// The smallest and largest invocation id logged in each hour (table <c>invocation_id_bounds</c>), written in the
/// transaction of the batch that logs the calls. Every call of a time window then has an id between the bounds of the
/// window's hours, so a page of the window can walk the primary key down from the upper bound and stop at the lower one,
/// checking each row's time: exact whatever order ids and times were logged in, and as short as the page when they
/// follow each other. Retention leaves the bounds, which stay bounds of what is left.
/// </summary>
internal static class InvocationIdBounds
{
    /// <summary>How wide a bucket is: an hour, in milliseconds.</summary>
    public const long BucketMs = 3_600_000;

    private const string Bucket = "(created_at_ms / 3600000) * 3600000";

    /// <summary>
    /// Creates the table and fills it from the calls already logged (migration 19 on SQLite, 21 on PostgreSQL), given the
    /// store's integer type and what follows CREATE TABLE's column list.
    /// </summary>
    public static string Migration(string integer, string tableOptions = "") => $"""
        CREATE TABLE invocation_id_bounds (
            bucket_ms {integer} NOT NULL PRIMARY KEY,
            min_id {integer} NOT NULL,
            max_id {integer} NOT NULL
        ){tableOptions};
        INSERT INTO invocation_id_bounds (bucket_ms, min_id, max_id)
        SELECT {Bucket}, MIN(id), MAX(id) FROM invocations GROUP BY {Bucket}
        """;

    /// <summary>
    /// Widens the bounds of the hours a batch's rows fall in: the rows are read from <paramref name="rows"/> (a table or a
    /// CTE with <c>id</c> and <c>created_at_ms</c>) as far as <paramref name="where"/> selects them. Hours are upserted in
    /// order, so two nodes writing the same hours wait for each other instead of deadlocking.
    /// </summary>
    public static string Widen(string rows, string where, Func<string, string, string> least, Func<string, string, string> greatest) => $"""
        INSERT INTO invocation_id_bounds (bucket_ms, min_id, max_id)
        SELECT {Bucket}, MIN(id), MAX(id) FROM {rows} WHERE {where} GROUP BY {Bucket} ORDER BY 1
        ON CONFLICT (bucket_ms) DO UPDATE SET min_id = {least("invocation_id_bounds.min_id", "excluded.min_id")},
            max_id = {greatest("invocation_id_bounds.max_id", "excluded.max_id")}
        """;

    /// <summary>
    /// The smallest and largest id a call of the window [<paramref name="start"/>, <paramref name="end"/>) can have, or
    /// null when no call was logged in its hours.
    /// </summary>
    public static async ValueTask<(long Low, long High)?> ReadAsync(
        DbConnection connection, DateTimeOffset? start, DateTimeOffset? end, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var where = " WHERE 1 = 1";
        if (start is { } from)
        {
            where += $" AND bucket_ms >= {command.Bind("first", BucketOf(from.ToUnixTimeMilliseconds()))}";
        }
        if (end is { } to)
        {
            where += $" AND bucket_ms <= {command.Bind("last", BucketOf(to.ToUnixTimeMilliseconds() - 1))}";
        }
        command.CommandText = "SELECT MIN(min_id), MAX(max_id) FROM invocation_id_bounds" + where;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0)
            ? (reader.GetInt64(0), reader.GetInt64(1))
            : null;
    }

    /// <summary>
    /// The window [<paramref name="start"/>, <paramref name="end"/>) widened to the whole hours <see cref="ReadAsync"/>
    /// reads the bounds of: every call whose id lies between those bounds was logged in them, give or take calls whose
    /// ids and times were logged out of order.
    /// </summary>
    public static (DateTimeOffset? Start, DateTimeOffset? End) Hours(DateTimeOffset? start, DateTimeOffset? end) => (
        start is { } from ? DateTimeOffset.FromUnixTimeMilliseconds(BucketOf(from.ToUnixTimeMilliseconds())) : null,
        end is { } to ? DateTimeOffset.FromUnixTimeMilliseconds(BucketOf(to.ToUnixTimeMilliseconds() - 1) + BucketMs) : null);

    /// <summary>The hour a time falls in, as SQL's integer division computes it (truncating, like C#'s).</summary>
    private static long BucketOf(long ms) => ms / BucketMs * BucketMs;
}
