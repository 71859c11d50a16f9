using LlmRouter.Persistence.Postgres;
using Npgsql;

namespace LlmRouter.Persistence.Tests.Postgres;

/// <summary>Nodes starting together on an empty database apply each migration exactly once.</summary>
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
}
