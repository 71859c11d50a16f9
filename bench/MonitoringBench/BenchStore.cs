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

    private BenchStore(string name, IInvocationStore store, IInvocationStatistics statistics, Func<string, Task<object?>> scalar, Func<ValueTask> dispose)
    {
        Name = name;
        Store = store;
        Statistics = statistics;
        Scalar = scalar;
        _dispose = dispose;
    }

    public string Name { get; }
    public IInvocationStore Store { get; }
    public IInvocationStatistics Statistics { get; }

    /// <summary>Runs one SQL statement and answers its first value (for the log-scan baseline).</summary>
    public Func<string, Task<object?>> Scalar { get; }

    public static async Task<BenchStore> SqliteAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "llmrouter-monitoring-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var database = new SqliteDatabase(Path.Combine(directory, "log.db"));
        await database.MigrateAsync();
        return new BenchStore("SQLite", new SqliteInvocationStore(database), new SqliteInvocationStatistics(database), async sql =>
        {
            await using var connection = await database.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }, async () =>
        {
            await database.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        });
    }

    public static async Task<BenchStore> PostgresAsync(string serverUrl)
    {
        var name = "llmr_bench_" + Guid.NewGuid().ToString("N")[..12];
        var admin = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUrl(serverUrl)) { Pooling = false }.ConnectionString;
        await Execute(admin, $"CREATE DATABASE {name}");
        var database = new PostgresDatabase(new UriBuilder(serverUrl) { Path = "/" + name }.Uri.ToString());
        await database.MigrateAsync();
        return new BenchStore("PostgreSQL", new PostgresInvocationStore(database), new PostgresInvocationStatistics(database), async sql =>
        {
            await using var command = database.DataSource.CreateCommand(sql);
            return await command.ExecuteScalarAsync();
        }, async () =>
        {
            await database.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await Execute(admin, $"DROP DATABASE {name} WITH (FORCE)");
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
