using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// This process's turn to write the file, on the database's one writer connection. Transactions go through
/// <see cref="BeginAsync"/> and <see cref="CommitAsync"/> (not <see cref="SqliteConnection.BeginTransaction()"/>, which
/// the cached commands would refuse). Disposing the turn rolls back what it left uncommitted and lets the next writer in.
/// </summary>
public sealed class SqliteWriteTurn : StoreWrite, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly SqliteWriter _writer;
    private bool _ended;

    internal SqliteWriteTurn(SqliteDatabase database, SqliteWriter writer)
    {
        _database = database;
        _writer = writer;
    }

    /// <summary>The writer connection, for a statement not worth keeping prepared; never dispose it.</summary>
    public SqliteConnection Connection
    {
        get
        {
            ObjectDisposedException.ThrowIf(_ended, this);
            return _writer.Connection;
        }
    }

    /// <summary>
    /// The writer's prepared command for <paramref name="sql"/>, kept across turns: set its parameters (see
    /// <see cref="CommandParameters.Set"/>) and execute it; never dispose it. The SQL text is the cache key, so it
    /// must be fixed text with every value in a parameter.
    /// </summary>
    public override SqliteCommand Command(string sql)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        return _writer.Command(sql);
    }

    /// <summary>BEGIN IMMEDIATE: takes the file's write lock up front, so no statement of the transaction waits for it midway.</summary>
    public override Task BeginAsync(CancellationToken cancellationToken = default) =>
        Command("BEGIN IMMEDIATE").ExecuteNonQueryAsync(cancellationToken);

    public override Task CommitAsync(CancellationToken cancellationToken = default) =>
        Command("COMMIT").ExecuteNonQueryAsync(cancellationToken);

    public Task RollbackAsync(CancellationToken cancellationToken = default) =>
        Command("ROLLBACK").ExecuteNonQueryAsync(cancellationToken);

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (_ended)
        {
            return;
        }
        _ended = true;
        _database.EndWriteTurn(_writer);
    }
}
