using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>The stores' <see cref="StoreDialect"/> on a cluster's shared PostgreSQL.</summary>
internal static class PostgresStoreDialect
{
    public static StoreDialect Create(PostgresDatabase database) => new()
    {
        Kind = "postgresql",
        OpenAsync = async cancellationToken => await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false),
        BeginFrequentWriteAsync = async cancellationToken =>
            new PostgresWrite(await database.RelaxedDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false)),
        BeginExclusiveAsync = BeginExclusiveAsync,
        Greatest = (a, b) => $"greatest({a}, {b})",
        // SQLite sorts text by bytes and NULLs first; the same order here keeps both stores' answers identical.
        OrderKey = column => $"{column} COLLATE \"C\" NULLS FIRST",
        Sum = column => $"sum({column})::bigint",
        MonthStart = MonthStart,
        Fence = "OFFSET 0",
        WalkIdsDown = (range, status, conditions) =>
            $"SELECT * FROM (SELECT {InvocationRows.Columns} FROM invocations WHERE {(status is null ? "" : status + " AND ")}{range} " +
            $"ORDER BY id DESC OFFSET 0) AS w WHERE 1 = 1{conditions}",
    };

    /// <summary>The UTC start of the month holding a time in Unix milliseconds, in Unix milliseconds.</summary>
    internal static string MonthStart(string column) =>
        $"(extract(epoch FROM date_trunc('month', to_timestamp({column} / 1000.0) AT TIME ZONE 'UTC')) * 1000)::bigint";

    /// <summary>
    /// A transaction holding <paramref name="table"/> in SHARE ROW EXCLUSIVE mode: it conflicts with itself and with
    /// every other write, not with reads.
    /// </summary>
    private static async ValueTask<DbTransaction> BeginExclusiveAsync(
        DbConnection connection, string table, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
