using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>The shared PostgreSQL database of a cluster: one pooled data source per node, and schema migrations.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    // Any fixed number works; every node of every version must use the same one.
    private const long MigrationLockKey = 0x4C4C_4D52_6D69_6772;

    public PostgresDatabase(string url)
    {
        ConnectionString = PostgresConnectionString.FromUrl(url);
        DataSource = NpgsqlDataSource.Create(WithOption(ConnectionString, "-c max_parallel_workers_per_gather=0"));
        RelaxedDataSource = NpgsqlDataSource.Create(WithOption(ConnectionString, "-c synchronous_commit=off"));
        Dialect = PostgresStoreDialect.Create(this);
    }

    public string ConnectionString { get; }

    /// <summary>
    /// Connections for the stores' reads and rare, durable writes, planned without parallel workers: every read is a
    /// short indexed one (the monitoring answers read a few thousand roll-up rows), and once the roll-ups grow large
    /// the planner starts two workers for them, whose start costs more than the read (a 30-day cost summary of a
    /// 10M-call log: 72 ms with them, 4.5 ms without). Migrations keep them, for the backfills of a large log.
    /// </summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// Connections whose commits return once the server has them, without waiting for the WAL flush to disk. A commit
    /// is then visible to every node and survives the node that made it being killed; only a crash of the PostgreSQL
    /// server itself may forget the last moments (at most about three times wal_writer_delay, 200 ms by default).
    /// For the writes a call's answer waits for that hold no money: the invocation log and plain usage counters.
    /// </summary>
    public NpgsqlDataSource RelaxedDataSource { get; }

    /// <summary>What the stores need to know of PostgreSQL (see <see cref="StoreDialect"/>).</summary>
    public StoreDialect Dialect { get; }

    /// <summary>
    /// Applies every migration not yet applied, each in its own transaction, under a session advisory lock: nodes
    /// starting together queue here, and the later ones find the work done. No statement of it times out: a step that
    /// builds from a large log takes minutes (the roll-up slices of a 10M-call log: about two), and so does the wait
    /// of a node queued behind it.
    /// </summary>
    public async ValueTask MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                cancellationToken).ConfigureAwait(false);
            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }
            foreach (var (version, sql) in PostgresMigrations.All)
            {
                if (applied.Contains(version))
                {
                    continue;
                }
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (var apply = new NpgsqlCommand(sql, connection, transaction))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES ($1)", connection, transaction))
                {
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        await RelaxedDataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The connection string with one more <c>-c name=value</c> server setting in its Options.</summary>
    private static string WithOption(string connectionString, string option)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.IsNullOrEmpty(builder.Options) ? option : builder.Options + " " + option;
        return builder.ConnectionString;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
