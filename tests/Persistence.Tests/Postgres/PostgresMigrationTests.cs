using LlmRouter.Persistence.Postgres;
using Npgsql;

namespace LlmRouter.Persistence.Tests.Postgres;

/// <summary>Nodes starting together on an empty database apply each migration exactly once, however long a step takes.</summary>
public sealed class PostgresMigrationTests : IRequiresPostgres
{
    [StoreFact]
    public async Task Nodes_migrating_at_once_apply_every_step_once()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var nodes = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(database.Url)).ToArray();
        try
        {
            await Task.WhenAll(nodes.Select(n => Task.Run(async () => await n.MigrateAsync())));
            await nodes[0].MigrateAsync();
            await using var command = nodes[0].DataSource.CreateCommand("SELECT version, count(*) OVER () FROM schema_migrations ORDER BY version");
            await using var reader = await command.ExecuteReaderAsync();
            var versions = new List<int>();
            while (await reader.ReadAsync())
            {
                versions.Add(reader.GetInt32(0));
            }
            Assert.Equal(versions.Distinct().Order(), versions);
            Assert.Contains(1, versions);
            Assert.Contains(3, versions);
            await using var tables = nodes[0].DataSource.CreateCommand(
                "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('invocations', 'invocation_rollups')");
            Assert.Equal(2L, await tables.ExecuteScalarAsync());
            // Orleans' ADO.NET providers find their tables and named queries (membership, grain state) ready.
            await using var orleans = nodes[0].DataSource.CreateCommand(
                "SELECT count(DISTINCT querykey) FROM orleansquery WHERE querykey IN ('InsertMembershipKey', 'UpdateIAmAlivetimeKey', 'WriteToStorageKey', 'ReadFromStorageKey')");
            Assert.Equal(4L, await orleans.ExecuteScalarAsync());
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            NpgsqlConnection.ClearAllPools();
        }
    }

    [StoreFact]
    public async Task A_step_that_runs_longer_than_the_command_timeout_is_applied_all_the_same()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using (var node = new PostgresDatabase(database.Url))
        {
            await node.MigrateAsync();
            await using var undo = node.DataSource.CreateCommand(
                "DROP TABLE invocation_model_rollups; DROP TABLE invocation_key_rollups; DELETE FROM schema_migrations WHERE version = 22");
            await undo.ExecuteNonQueryAsync();
        }
        // The step reads the roll-ups, which another transaction holds locked for longer than the node's 1-second timeout,
        // as a step building from a large log runs longer than the default 30 seconds.
        await using var holder = new NpgsqlConnection(PostgresConnectionString.FromUrl(database.Url));
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockRollups = new NpgsqlCommand("LOCK TABLE invocation_rollups IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            await lockRollups.ExecuteNonQueryAsync();
        }
        await using var slow = new PostgresDatabase(database.Url + "?command_timeout=1");
        var migrating = slow.MigrateAsync().AsTask();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(migrating.IsCompleted, "the step should be waiting for the lock");
        await transaction.CommitAsync();

        await migrating;

        await using var version = slow.DataSource.CreateCommand("SELECT count(*) FROM schema_migrations WHERE version = 22");
        Assert.Equal(1L, await version.ExecuteScalarAsync());
        await using var bounded = slow.DataSource.CreateCommand("SELECT pg_sleep(2)");
        await Assert.ThrowsAnyAsync<Exception>(async () => await bounded.ExecuteScalarAsync());
        NpgsqlConnection.ClearAllPools();
    }
}
