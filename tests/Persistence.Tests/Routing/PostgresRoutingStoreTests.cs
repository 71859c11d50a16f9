using LlmRouter.Abstractions.Routing;
using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Routing;

/// <summary>The PostgreSQL rule store against the shared conformance facts; each test starts from empty tables.</summary>
public sealed class PostgresRoutingStoreTests(PostgresDatabaseFixture fixture) : RoutingStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    private PostgresDatabase _database = null!;

    // A new store instance per use: as two nodes would, they share nothing but the database.
    protected override StoreDialect Dialect => _database.Dialect;

    public override async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason is not null)
        {
            return;
        }
        _database = await fixture.GetAsync();
        await using var clear = _database.DataSource.CreateCommand("TRUNCATE routing_rules RESTART IDENTITY");
        await clear.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync() => Task.CompletedTask;
}
