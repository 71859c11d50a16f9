using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>The invocation store facts on a real PostgreSQL server.</summary>
public sealed class PostgresInvocationStoreTests(PostgresDatabaseFixture fixture)
    : InvocationStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<IInvocationStore> StoreAsync(WindowPlan? plan, long sortedWindowRowsAtMost) =>
        new PostgresInvocationStore(await fixture.GetAsync()) { ForcedWindowPlan = plan, SortedWindowRowsAtMost = sortedWindowRowsAtMost };
}
