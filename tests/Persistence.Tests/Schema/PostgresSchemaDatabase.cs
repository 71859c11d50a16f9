using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>The PostgreSQL test server's database, shared by the facts of one class (each migrates it back to the new shape).</summary>
public sealed class PostgresSchemaDatabase(PostgresDatabaseFixture fixture) : SchemaTestDatabase
{
    private PostgresDatabase _database = null!;

    public override StoreDialect Dialect => _database.Dialect;

    public override Task MigrateAsync() => _database.MigrateAsync().AsTask();

    public override async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason is null)
        {
            _database = await fixture.GetAsync();
        }
    }

    public override Task DisposeAsync() => Task.CompletedTask;
}
