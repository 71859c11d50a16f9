using LlmRouter.Persistence.Postgres;

namespace LlmRouter.Persistence.Tests.Postgres;

/// <summary>
/// The relaxed data source commits without waiting for the WAL flush (what answers wait for: the log, plain usage
/// counters); the main one keeps the server's durable default (money, migrations, everything else).
/// </summary>
public sealed class RelaxedCommitTests(PostgresDatabaseFixture fixture) : IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    [StoreFact]
    public async Task Only_the_relaxed_data_source_skips_the_flush_at_commit()
    {
        await using var database = new PostgresDatabase(await fixture.UrlAsync());

        Assert.Equal(("off", "client"), await SynchronousCommitAsync(database.RelaxedDataSource));
        // The main source leaves the server's own setting alone (the test server itself runs without flushes).
        Assert.NotEqual("client", (await SynchronousCommitAsync(database.DataSource)).Source);
    }

    [StoreFact]
    public async Task The_stores_reads_plan_without_parallel_workers_and_the_log_writes_keep_the_servers_setting()
    {
        await using var database = new PostgresDatabase(await fixture.UrlAsync());

        Assert.Equal("0", await ShowAsync(database.DataSource, "max_parallel_workers_per_gather"));
        Assert.NotEqual("0", await ShowAsync(database.RelaxedDataSource, "max_parallel_workers_per_gather"));
    }

    private static async Task<string> ShowAsync(Npgsql.NpgsqlDataSource source, string setting)
    {
        await using var command = source.CreateCommand($"SHOW {setting}");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(string Setting, string Source)> SynchronousCommitAsync(Npgsql.NpgsqlDataSource source)
    {
        await using var command = source.CreateCommand("SELECT setting, source FROM pg_settings WHERE name = 'synchronous_commit'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1));
    }
}
