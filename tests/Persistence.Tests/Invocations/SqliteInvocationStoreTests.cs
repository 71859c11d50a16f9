using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>The invocation store facts on SQLite.</summary>
public sealed class SqliteInvocationStoreTests : InvocationStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<IInvocationStore> StoreAsync(WindowPlan? plan, long sortedWindowRowsAtMost)
    {
        var database = new SqliteDatabase(_directory.File("log.db"));
        await database.MigrateAsync();
        return new SqliteInvocationStore(database) { ForcedWindowPlan = plan, SortedWindowRowsAtMost = sortedWindowRowsAtMost };
    }

    protected override int IdBoundsMigration => 19;

    protected override async Task ExecuteAsync(string sql)
    {
        await using var database = new SqliteDatabase(_directory.File("log.db"));
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task MigrateAsync()
    {
        await using var database = new SqliteDatabase(_directory.File("log.db"));
        await database.MigrateAsync();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
