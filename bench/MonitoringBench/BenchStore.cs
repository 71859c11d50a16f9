using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence;
using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Sqlite;
using Npgsql;

namespace MonitoringBench;

/// <summary>One fresh, migrated log to fill and query: a SQLite file in a temp directory, or a new PostgreSQL database.</summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private BenchStore(string name, string log, IInvocationStore store, IInvocationStatistics statistics, Func<string, Task<object?>> scalar, Func<ValueTask> dispose)
    {
        Name = name;
        Log = log;
        Store = store;
        Statistics = statistics;
        Scalar = scalar;
        _dispose = dispose;
    }

    public string Name { get; }

    /// <summary>The SQLite file or PostgreSQL database name, for --reuse.</summary>
    public string Log { get; }
    public IInvocationStore Store { get; }
    public IInvocationStatistics Statistics { get; }

    /// <summary>Runs one SQL statement and answers its first value (for the log-scan baseline).</summary>
    public Func<string, Task<object?>> Scalar { get; }

    /// <summary>A new log, or the file <paramref name="reuse"/> (kept after the run).</summary>
    public static async Task<BenchStore> SqliteAsync(string? reuse = null)
    {
        var directory = reuse is null ? Path.Combine(Path.GetTempPath(), "llmrouter-monitoring-bench", Guid.NewGuid().ToString("N")) : null;
        var file = reuse ?? Path.Combine(directory!, "log.db");
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var database = new SqliteDatabase(file);
        await database.MigrateAsync();
        return new BenchStore("SQLite", file, new SqliteInvocationStore(database), new SqliteInvocationStatistics(database), async sql =>
        {
            await using var connection = await database.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }, async () =>
        {
            await database.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (directory is not null)
            {
                Directory.Delete(directory, recursive: true);
            }
        });
    }

    /// <summary>A new database on the server, or its database <paramref name="reuse"/> (kept after the run).</summary>
    public static async Task<BenchStore> PostgresAsync(string serverUrl, string? reuse = null)
    {
        var name = reuse ?? "llmr_bench_" + Guid.NewGuid().ToString("N")[..12];
        var admin = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl(serverUrl)) { Pooling = false }.ConnectionString;
        if (reuse is null)
        {
            await Execute(admin, $"CREATE DATABASE {name}");
        }
        var database = new PostgresDatabase(new UriBuilder(serverUrl) { Path = "/" + name }.Uri.ToString());
        await database.MigrateAsync();
        return new BenchStore("PostgreSQL", name, new PostgresInvocationStore(database), new PostgresInvocationStatistics(database), async sql =>
        {
            // The server's own planner settings (parallel workers included), as the log scans ran before the roll-ups.
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return await command.ExecuteScalarAsync();
        }, async () =>
        {
            await database.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            if (reuse is null)
            {
                await Execute(admin, $"DROP DATABASE {name} WITH (FORCE)");
            }
        });
    }

    public ValueTask DisposeAsync() => _dispose();

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
