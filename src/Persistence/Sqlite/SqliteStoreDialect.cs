using System.Data;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>The stores' <see cref="StoreDialect"/> on the embedded SQLite file.</summary>
internal static class SqliteStoreDialect
{
    public static StoreDialect Create(SqliteDatabase database) => new()
    {
        Kind = "sqlite",
        OpenAsync = async cancellationToken => await database.OpenAsync(cancellationToken).ConfigureAwait(false),
        BeginFrequentWriteAsync = async cancellationToken => await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false),
        // Serializable makes Microsoft.Data.Sqlite begin IMMEDIATE: the file's write lock, which covers every table.
        BeginExclusiveAsync = async (connection, _, cancellationToken) =>
            await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false),
        Greatest = (a, b) => $"max({a}, {b})",
        OrderKey = column => column,
        Sum = column => $"SUM({column})",
        MonthStart = MonthStart,
        // SQLite takes no OFFSET without a LIMIT; -1 is none.
        Fence = "LIMIT -1 OFFSET 0",
        WalkIdsDown = (range, status, conditions) => status is null
            ? $"SELECT {InvocationRows.Columns} FROM invocations NOT INDEXED WHERE {range}{conditions}"
            : $"SELECT {InvocationRows.Columns} FROM invocations INDEXED BY ix_invocations_status WHERE {status} AND {range}{conditions}",
    };

    /// <summary>The UTC start of the month holding a time in Unix milliseconds, in Unix milliseconds.</summary>
    internal static string MonthStart(string column) => $"CAST(strftime('%s', {column} / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000";
}
