using LlmRouter.Abstractions.Limits;
using LlmRouter.Persistence.Postgres;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The limit store conformance facts on a real PostgreSQL server, driven by the same controlled clock.</summary>
public sealed class PostgresLimitStoreTests(PostgresDatabaseFixture fixture)
    : LimitStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>, IDisposable
{
    private PostgresLimitStore? _store;

    protected override async Task<ILimitStore> StoreAsync() => _store = new PostgresLimitStore(await fixture.GetAsync(), Clock);

    public void Dispose() => _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
