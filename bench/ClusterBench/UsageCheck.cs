using Npgsql;

namespace ClusterBench;

/// <summary>Around a run: do the model's usage counter and the invocation log grow by exactly the 200s the clients saw?</summary>
internal sealed class UsageCheck
{
    private readonly string _databaseUrl;
    private readonly string _model;
    private (long Counted, long Logged) _before;

    private UsageCheck(string databaseUrl, string model)
    {
        _databaseUrl = databaseUrl;
        _model = model;
    }

    public static async Task<UsageCheck> StartAsync(string databaseUrl, string model)
    {
        var check = new UsageCheck(databaseUrl, model);
        check._before = await check.ReadAsync();
        return check;
    }

    /// <summary>Waits (at most 10 s) for settlement and logging to catch up, then prints both deltas.</summary>
    public async Task ReportAsync(long admitted)
    {
        (long Counted, long Logged) grown = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var now = await ReadAsync();
            grown = (now.Counted - _before.Counted, now.Logged - _before.Logged);
            if (grown.Counted >= admitted && grown.Logged >= admitted)
            {
                break;
            }
            await Task.Delay(100);
        }
        var verdict = grown.Counted == admitted && grown.Logged == admitted ? "agree" : "DISAGREE";
        Console.WriteLine($"  {_model}: clients got {admitted} x 200; usage counter +{grown.Counted}, invocation log +{grown.Logged}: {verdict}");
    }

    private async Task<(long Counted, long Logged)> ReadAsync()
    {
        var slash = _model.IndexOf('/', StringComparison.Ordinal);
        await using var dataSource = NpgsqlDataSource.Create(LlmRouter.Persistence.Postgres.PostgresConnectionString.FromUrl(_databaseUrl));
        // A build from before the usage counters were read from the roll-ups (--silo) kept them in usage_counters.
        await using var probe = dataSource.CreateCommand("SELECT to_regclass('invocation_rollups') IS NOT NULL");
        var counted = (bool)(await probe.ExecuteScalarAsync())!
            ? "SELECT coalesce(sum(requests), 0)::bigint FROM invocation_rollups WHERE bucket_level = 3 AND provider = $1 AND model = $2"
            : "SELECT coalesce((SELECT requests FROM usage_counters WHERE scope = 'model' AND id = $1 || '/' || $2), 0)";
        await using var command = dataSource.CreateCommand($"""
            SELECT ({counted}),
                   (SELECT count(*) FROM invocations WHERE provider = $1 AND model = $2 AND http_status = 200)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _model[..slash] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _model[(slash + 1)..] });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
