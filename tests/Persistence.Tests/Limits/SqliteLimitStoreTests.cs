using LlmRouter.Abstractions.Limits;
using LlmRouter.Persistence.Sqlite;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The limit store conformance facts on the embedded SQLite store.</summary>
public sealed class SqliteLimitStoreTests : LimitStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<ILimitStore> StoreAsync()
    {
        var database = new SqliteDatabase(_directory.File("limits.db"));
        await database.MigrateAsync();
        return new SqliteLimitStore(database, Clock);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
