using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Sqlite;

namespace LlmRouter.Persistence.Tests;

/// <summary>
/// Grains replaced the SQL tables of the node registry (Orleans' membership and placement) and of the router toggle
/// (its grain's storage), and usage counters are read from the log: migrating a store (one that had those tables from
/// migrations 3, 6 and 7, as every store did) leaves none of <c>cluster_nodes</c>, <c>cluster_sessions</c>,
/// <c>router_toggle</c>, <c>router_toggle_history</c>, <c>usage_counters</c>, <c>usage_settlements</c>.
/// </summary>
public sealed class RetiredTablesTests(PostgresDatabaseFixture fixture) : IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    private static readonly string[] RetiredTables = ["cluster_nodes", "cluster_sessions", "router_toggle", "router_toggle_history", "usage_counters", "usage_settlements"];

    [Fact]
    public async Task A_migrated_sqlite_store_has_no_retired_table()
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
        Assert.Empty(tables.Intersect(RetiredTables));
    }

    [StoreFact]
    public async Task A_migrated_postgres_store_has_no_retired_table()
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
        Assert.Empty(tables.Intersect(RetiredTables));
    }
}
