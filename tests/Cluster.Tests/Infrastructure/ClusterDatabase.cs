using Npgsql;

namespace LlmRouter.Cluster.Tests.Infrastructure;

/// <summary>What the tests read back from a cluster's PostgreSQL: Orleans' membership table and the invocation log.</summary>
internal static class ClusterDatabase
{
    /// <summary>The host names of the silos the membership table lists as active (status 3), once there are <paramref name="expected"/> (at most 20 s).</summary>
    public static async Task<IReadOnlyList<string>> ActiveSilosAsync(string databaseUrl, int expected)
    {
        await using var dataSource = DataSource(databaseUrl);
        async Task<List<string>> ReadAsync()
        {
            await using var command = dataSource.CreateCommand("SELECT siloname FROM orleansmembershiptable WHERE status = 3 ORDER BY siloname");
            await using var reader = await command.ExecuteReaderAsync();
            var names = new List<string>();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
            return names;
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var active = await ReadAsync();
        while (active.Count != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            active = await ReadAsync();
        }
        return active;
    }

    /// <summary>The answered (200) calls of a model in the invocation log, once there are <paramref name="expected"/> (at most 10 s).</summary>
    public static async Task<long> LoggedAsync(string databaseUrl, string provider, string model, int expected)
    {
        await using var dataSource = DataSource(databaseUrl);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM invocations WHERE provider = $1 AND model = $2 AND http_status = 200");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provider });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = model });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var logged = (long)(await command.ExecuteScalarAsync())!;
        while (logged < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            logged = (long)(await command.ExecuteScalarAsync())!;
        }
        return logged;
    }

    private static NpgsqlDataSource DataSource(string databaseUrl) =>
        NpgsqlDataSource.Create(Persistence.Postgres.PostgresConnectionString.FromUrl(databaseUrl));
}
