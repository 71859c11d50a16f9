using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// The embedded SQLite file: pooled connections for readers (and rare writers), one long-lived writer connection
/// handed out a turn at a time to the frequent writers, and the schema brought up to date.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The write gate lives as long as the database and never allocates a wait handle.")]
public sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _writerConnectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    // Both only touched while holding the write gate.
    private SqliteWriter? _writer;
    private bool _disposed;

    public SqliteDatabase(string path)
    {
        Path = path;
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        _connectionString = builder.ToString();
        // The writer is never pooled: closing it (at shutdown, or when broken) must really close it, not hand its
        // handle to a reader.
        builder.Pooling = false;
        _writerConnectionString = builder.ToString();
        Dialect = SqliteStoreDialect.Create(this);
    }

    public string Path { get; }

    /// <summary>What the stores need to know of SQLite (see <see cref="StoreDialect"/>).</summary>
    public StoreDialect Dialect { get; }

    /// <summary>
    /// Opens a pooled connection. It keeps SQLite's default synchronous=FULL: readers do not care, and the rare
    /// writers on it (keys, catalog, sessions) are durable at once; the frequent writers take a write turn instead.
    /// </summary>
    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Takes this process's turn to write the file, on the writer connection (opened on the first turn, and again after
    /// one was left broken); dispose the answer to give it back. The frequent writers (the invocation log, limit
    /// reservations and settlements) queue here rather than in SQLite's busy handling, whose managed retry sleeps
    /// 150 ms at a time: with the request path waiting for its log record, one such collision costs every waiting
    /// request 150 ms.
    /// </summary>
    public async ValueTask<SqliteWriteTurn> TakeWriteTurnAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= await SqliteWriter.OpenAsync(_writerConnectionString, cancellationToken).ConfigureAwait(false);
            return new SqliteWriteTurn(this, _writer);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }
    }

    /// <summary>Ends a turn: what it left uncommitted is rolled back; a writer that cannot be made clean is closed, so the next turn opens a fresh one.</summary>
    internal void EndWriteTurn(SqliteWriter writer)
    {
        try
        {
            if (!writer.TryEndTurn())
            {
                _writer = null;
                try
                {
                    writer.Dispose();
                }
                catch (SqliteException)
                {
                    // It is dropped either way; the turn's own failure is the one worth reporting.
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Waits for the turn in progress, then closes the writer; later turns are refused.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Switches the file to WAL and applies every migration not yet applied, each in its own transaction.</summary>
    public async ValueTask MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL", cancellationToken).ConfigureAwait(false);
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
