using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>The endpoint column's migration on a real PostgreSQL server.</summary>
public sealed class PostgresEndpointColumnTests(PostgresDatabaseFixture fixture)
    : EndpointColumnConformance, IRequiresPostgres, IAsyncLifetime, IClassFixture<PostgresDatabaseFixture>
{
    private PostgresDatabase _database = null!;

    protected override int Step => 19;

    protected override StoreDialect Dialect => _database.Dialect;

    protected override Task MigrateAsync() => _database.MigrateAsync().AsTask();

    public async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason is null)
        {
            _database = await fixture.GetAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
