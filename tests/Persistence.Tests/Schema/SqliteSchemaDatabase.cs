using LlmRouter.Persistence.Stores;
using LlmRouter.Persistence.Tests.Sqlite;

namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>An embedded SQLite file of its own for each fact.</summary>
public sealed class SqliteSchemaDatabase : SchemaTestDatabase
{
    private SqliteTestFile _file = null!;

    public override StoreDialect Dialect => _file.Database.Dialect;

    public override Task MigrateAsync() => _file.Database.MigrateAsync().AsTask();

    public override async Task InitializeAsync() => _file = await SqliteTestFile.CreateAsync();

    public override Task DisposeAsync() => _file.DisposeAsync().AsTask();
}
