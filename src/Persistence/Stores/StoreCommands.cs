namespace LlmRouter.Persistence.Stores;

/// <summary>One statement on a pooled connection of a <see cref="StoreDialect"/>: run, read one row, or read all rows.</summary>
internal static class StoreCommands
{
    public static async ValueTask<int> ExecuteAsync(
        this StoreDialect dialect, string sql, IEnumerable<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Create(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask<object?> ScalarAsync(
        this StoreDialect dialect, string sql, IEnumerable<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Create(connection, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first row <paramref name="read"/> makes of the answer, or null when there is none.</summary>
    public static async ValueTask<T?> ReadOneAsync<T>(
        this StoreDialect dialect, string sql, IEnumerable<(string, object?)> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Create(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
    }

    public static async ValueTask<IReadOnlyList<T>> ReadAllAsync<T>(
        this StoreDialect dialect, string sql, IEnumerable<(string, object?)> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Create(connection, sql, parameters);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static DbCommand Create(DbConnection connection, string sql, IEnumerable<(string, object?)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.SetAll(parameters);
    }
}
