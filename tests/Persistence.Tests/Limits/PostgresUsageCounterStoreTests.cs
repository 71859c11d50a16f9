using LlmRouter.Abstractions.Limits;
using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The usage counter conformance facts on a real PostgreSQL server.</summary>
public sealed class PostgresUsageCounterStoreTests(PostgresDatabaseFixture fixture)
    : UsageCounterStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<IUsageCounterStore> StoreAsync() => new UsageCounterStore((await fixture.GetAsync()).Dialect, Clock);
}
