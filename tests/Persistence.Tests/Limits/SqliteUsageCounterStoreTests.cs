using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The usage counter conformance facts on the embedded SQLite store.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class SqliteUsageCounterStoreTests : UsageCounterStoreConformance, IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private SqliteDatabase _database = null!;

    protected override Task<StoreDialect> DialectAsync() => Task.FromResult(_database.Dialect);

    protected override string PoisonCounter(string id) =>
        $"CREATE TRIGGER poison_usage BEFORE INSERT ON usage_counters WHEN NEW.id = '{id}' BEGIN SELECT RAISE(ABORT, 'poisoned'); END";

    public async Task InitializeAsync()
    {
        _database = new SqliteDatabase(_directory.File("counters.db"));
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
