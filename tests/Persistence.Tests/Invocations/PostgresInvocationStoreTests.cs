using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>The invocation store facts on a real PostgreSQL server.</summary>
public sealed class PostgresInvocationStoreTests(PostgresDatabaseFixture fixture)
    : InvocationStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<IInvocationStore> StoreAsync(WindowPlan? plan, long sortedWindowRowsAtMost) =>
        new PostgresInvocationStore(await fixture.GetAsync()) { ForcedWindowPlan = plan, SortedWindowRowsAtMost = sortedWindowRowsAtMost };

    protected override int IdBoundsMigration => 21;

    protected override async Task ExecuteAsync(string sql)
    {
        await using var command = (await fixture.GetAsync()).DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task MigrateAsync() => await (await fixture.GetAsync()).MigrateAsync();
}
