using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Sqlite;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>The roll-up facts on SQLite.</summary>
public sealed class SqliteRollupTests : RollupConformance, IDisposable
{
    private readonly TempDirectory _directory = new();
    private SqliteDatabase? _database;

    protected override int RollupMigration => 11;

    protected override int RejectedMigration => 13;

    protected override int SliceMigration => 20;

    protected override async Task<(IInvocationStore Store, IInvocationStatistics Statistics)> EmptyAsync()
    {
        _database = new SqliteDatabase(_directory.File("log.db"));
        await _database.MigrateAsync();
        return (new SqliteInvocationStore(_database), new SqliteInvocationStatistics(_database));
    }

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = await _database!.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override Task MigrateAsync() => _database!.MigrateAsync().AsTask();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
