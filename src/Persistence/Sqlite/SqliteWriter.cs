using System.Data;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// The one long-lived connection this process writes the file through, with its prepared commands: a hot write binds
/// new values into statements SQLite parsed once, where opening a pooled connection would parse its SQL (and the
/// connection's pragma) again on every call. Only a write turn uses it, so it is never used by two threads at once.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private const string RollbackSql = "ROLLBACK";

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private SqliteWriter(SqliteConnection connection) => _connection = connection;

    public SqliteConnection Connection => _connection;

    /// <summary>True while a transaction begun on this connection is neither committed nor rolled back.</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(_connection.Handle) == 0;

    /// <summary>
    /// Opens the writer. synchronous=NORMAL is a setting of the connection, not of the file, so it is set here, once:
    /// in WAL mode a commit then reaches the OS without an fsync (it survives the process being killed; only a power
    /// cut may lose the last commits), where the default (FULL) fsyncs every commit.
    /// </summary>
    public static async ValueTask<SqliteWriter> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous=NORMAL";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new SqliteWriter(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The prepared command for <paramref name="sql"/>, made on first use; its parameters keep their last values.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            try
            {
                command.CommandText = sql;
                command.Prepare();
            }
            catch
            {
                command.Dispose();
                throw;
            }
            _commands.Add(sql, command);
        }
        return command;
    }

    /// <summary>
    /// Called as a turn ends: rolls back a transaction the turn left open (it failed before its commit) and answers
    /// whether the connection is fit for the next turn. A statement that fails leaves SQLite's connection usable; one
    /// that cannot even be rolled back, or a connection no longer open, is not.
    /// </summary>
    public bool TryEndTurn()
    {
        if (_connection.State != ConnectionState.Open)
        {
            return false;
        }
        if (!InTransaction)
        {
            return true;
        }
        try
        {
            Command(RollbackSql).ExecuteNonQuery();
            return !InTransaction;
        }
        catch (Exception exception) when (exception is SqliteException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
        _connection.Dispose();
    }
}
