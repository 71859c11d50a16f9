using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Sqlite;

namespace LlmRouter.Persistence.Tests;

/// <summary>
/// Orleans' membership and placement replaced the node registry: migrating a store (one that had the registry's
/// tables from migration 6, as every store did) leaves neither <c>cluster_nodes</c> nor <c>cluster_sessions</c>.
/// </summary>
public sealed class NodeRegistryRemovalTests(PostgresDatabaseFixture fixture) : IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    private static readonly string[] RegistryTables = ["cluster_nodes", "cluster_sessions"];

    [Fact]
    public async Task A_migrated_sqlite_store_has_no_node_registry()
    {
        using var directory = new TempDirectory();
        await using var database = new SqliteDatabase(directory.File("store.db"));
        await database.MigrateAsync();

        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        Assert.Contains("grain_state", tables);
        Assert.Empty(tables.Intersect(RegistryTables));
    }

    [StoreFact]
    public async Task A_migrated_postgres_store_has_no_node_registry()
    {
        var database = await fixture.GetAsync();
        await database.MigrateAsync();

        await using var command = database.DataSource.CreateCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("orleansmembershiptable", tables);
        Assert.Empty(tables.Intersect(RegistryTables));
    }
}
