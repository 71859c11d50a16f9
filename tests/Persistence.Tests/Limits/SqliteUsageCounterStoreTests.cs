using LlmRouter.Abstractions.Limits;
using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The usage counter conformance facts on the embedded SQLite store.</summary>
public sealed class SqliteUsageCounterStoreTests : UsageCounterStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<IUsageCounterStore> StoreAsync()
    {
        var database = new SqliteDatabase(_directory.File("counters.db"));
        await database.MigrateAsync();
        return new UsageCounterStore(database.Dialect, Clock);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
