using LlmRouter.Persistence.Postgres;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>The invocation store facts on a real PostgreSQL server.</summary>
public sealed class PostgresInvocationStoreTests(PostgresDatabaseFixture fixture)
    : InvocationStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<IInvocationStore> StoreAsync(long sortedWindowRowsAtMost) =>
        new PostgresInvocationStore(await fixture.GetAsync()) { SortedWindowRowsAtMost = sortedWindowRowsAtMost };
}
