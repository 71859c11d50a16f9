using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>The embedded SQLite file: opens pooled connections and brings the schema up to date.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The write gate lives as long as the database and never allocates a wait handle.")]
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteDatabase(string path)
    {
        Path = path;
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>
    /// Opens a pooled connection. synchronous=NORMAL is a setting of the connection, not of the file, so it is set on
    /// every open: in WAL mode a commit then reaches the OS without an fsync (it survives the process being killed;
    /// only a power cut may lose the last commits), where the default (FULL) fsyncs every commit.
    /// </summary>
    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Takes this process's turn to write the file; dispose the answer to give it back. The frequent writers (the
    /// invocation log, limit reservations and settlements) queue here rather than in SQLite's busy handling, whose
    /// managed retry sleeps 150 ms at a time: with the request path waiting for its log record, one such collision
    /// costs every waiting request 150 ms.
    /// </summary>
    public async ValueTask<WriteTurn> TakeWriteTurnAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteTurn(_writeGate);
    }

    /// <summary>A turn to write; disposing it lets the next writer in.</summary>
    public readonly struct WriteTurn(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    /// <summary>Switches the file to WAL and applies every migration not yet applied, each in its own transaction.</summary>
    public async ValueTask MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", cancellationToken).ConfigureAwait(false);
        foreach (var (version, sql) in SqliteMigrations.All)
        {
            // BEGIN IMMEDIATE takes the write lock first, so two processes starting together apply each step once.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
            await using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $v";
            check.Parameters.AddWithValue("$v", version);
            if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            await using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = sql + ";INSERT INTO schema_migrations (version, applied_at) VALUES ($v, datetime('now'))";
            apply.Parameters.AddWithValue("$v", version);
            await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
