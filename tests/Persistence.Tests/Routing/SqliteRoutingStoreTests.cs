using LlmRouter.Abstractions.Routing;
using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Tests.Routing;

/// <summary>The SQLite rule store against the shared conformance facts, each test on a fresh file.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class SqliteRoutingStoreTests : RoutingStoreConformance
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmrouter-tests", "routing-store-" + Guid.NewGuid().ToString("N"));
    private SqliteDatabase _database = null!;

    // A new store instance per use: as two nodes would, they share nothing but the file.
    protected override StoreDialect Dialect => _database.Dialect;

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
