using LlmRouter.Abstractions.Limits;
using LlmRouter.Persistence.Postgres;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The limit store conformance facts on a real PostgreSQL server, driven by the same controlled clock.</summary>
public sealed class PostgresLimitStoreTests(PostgresDatabaseFixture fixture) : LimitStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<ILimitStore> StoreAsync() => new PostgresLimitStore(await fixture.GetAsync(), Clock);
}
