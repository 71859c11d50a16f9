using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests;

/// <summary>The PostgreSQL stores against the shared conformance facts; each test starts from empty tables.</summary>
public sealed class PostgresAccessStoreTests(PostgresDatabaseFixture fixture) : AccessStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    private PostgresDatabase _database = null!;

    protected override StoreDialect Dialect => _database.Dialect;
    protected override string HealthKind => "postgresql";

    public override async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason is not null)
        {
            return;
        }
        _database = await fixture.GetAsync();
        await using var clear = _database.DataSource.CreateCommand(
            "TRUNCATE api_keys, api_key_usage, sessions, deployment_secrets, catalog_providers, catalog_models, responses");
        await clear.ExecuteNonQueryAsync();
    }

    public override Task DisposeAsync() => Task.CompletedTask;
}
