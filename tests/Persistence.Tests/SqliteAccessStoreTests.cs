using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Tests;

/// <summary>The SQLite stores against the shared conformance facts, each test on a fresh file.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class SqliteAccessStoreTests : AccessStoreConformance
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmrouter-tests", "store-" + Guid.NewGuid().ToString("N"));
    private SqliteDatabase _database = null!;

    protected override StoreDialect Dialect => _database.Dialect;
    protected override string HealthKind => "sqlite";

    public override async Task InitializeAsync()
    {
        _database = new SqliteDatabase(Path.Combine(_directory, "store.db"));
        await _database.MigrateAsync();
    }

    public override async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
