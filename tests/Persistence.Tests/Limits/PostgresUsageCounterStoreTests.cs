using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The usage counter conformance facts on a real PostgreSQL server.</summary>
public sealed class PostgresUsageCounterStoreTests(PostgresDatabaseFixture fixture)
    : UsageCounterStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<(IInvocationStore Log, StoreDialect Dialect)> StoreAsync()
    {
        var database = await fixture.GetAsync();
        return (new PostgresInvocationStore(database), database.Dialect);
    }
}
