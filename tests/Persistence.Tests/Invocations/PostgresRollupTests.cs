using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Postgres;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>The roll-up facts on a real PostgreSQL server.</summary>
public sealed class PostgresRollupTests(PostgresDatabaseFixture fixture) : RollupConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override int RollupMigration => 13;

    protected override int RejectedMigration => 15;

    protected override int SliceMigration => 22;

    protected override async Task<(IInvocationStore Store, IInvocationStatistics Statistics)> EmptyAsync()
    {
        var database = await fixture.GetAsync();
        await ExecuteAsync("TRUNCATE invocations, invocation_rollups, invocation_model_rollups, invocation_key_rollups");
        return (new PostgresInvocationStore(database), new PostgresInvocationStatistics(database));
    }

    protected override async Task ExecuteAsync(string sql)
    {
        await using var command = (await fixture.GetAsync()).DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task MigrateAsync() => await (await fixture.GetAsync()).MigrateAsync();
}
