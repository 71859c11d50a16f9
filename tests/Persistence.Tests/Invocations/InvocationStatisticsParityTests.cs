using System.Text.Json;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Sqlite;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>
/// The PostgreSQL statistics answer every monitoring query exactly as the SQLite ones do (whose meaning the monitoring
/// tests pin down), over the same invocations: totals, breakdowns and time series at every granularity and grouping.
/// </summary>
public sealed class InvocationStatisticsParityTests(PostgresDatabaseFixture fixture) : IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>, IDisposable
{
    private static readonly DateTimeOffset Origin = new(2025, 2, 27, 22, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    private static IEnumerable<string> Queries =>
    [
        "totals:all", "totals:march",
        .. from dimension in Enum.GetNames<UsageDimension>() from order in Enum.GetNames<UsageOrder>() select $"breakdown:{dimension}:{order}",
        .. from size in Enum.GetNames<TimeBucketSize>() from grouping in Enum.GetNames<UsageDimension>().Prepend("none") select $"series:{size}:{grouping}",
    ];

    [StoreFact]
    public async Task Every_query_answers_the_same_on_both_stores()
    {
        var (sqlite, postgres) = await StoresAsync();
        Assert.Equal(Records().Count, (await postgres.GetTotalsAsync(UsageRange.All)).Requests);
        Assert.Equal(3, (await postgres.GetTimeSeriesAsync(UsageRange.All, TimeBucketSize.Month, null)).Count);
        foreach (var query in Queries)
        {
            var expected = await RunAsync(sqlite, query);
            var actual = await RunAsync(postgres, query);
            Assert.True(expected == actual, $"{query}:\nSQLite:     {expected}\nPostgreSQL: {actual}");
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private static async Task<string> RunAsync(IInvocationStatistics statistics, string query)
    {
        var parts = query.Split(':');
        var march = new UsageRange(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));
        return parts[0] switch
        {
            "totals" => Json(await statistics.GetTotalsAsync(parts[1] == "all" ? UsageRange.All : march)),
            "breakdown" => Json(await statistics.GetBreakdownAsync(UsageRange.All, Enum.Parse<UsageDimension>(parts[1]), Enum.Parse<UsageOrder>(parts[2]), 50)),
            _ => Json(await statistics.GetTimeSeriesAsync(UsageRange.All, Enum.Parse<TimeBucketSize>(parts[1]),
                parts[2] == "none" ? null : Enum.Parse<UsageDimension>(parts[2]))),
        };
    }

    private async Task<(IInvocationStatistics Sqlite, IInvocationStatistics Postgres)> StoresAsync()
    {
        var sqliteDatabase = new SqliteDatabase(_directory.File("log.db"));
        await sqliteDatabase.MigrateAsync();
        await new SqliteInvocationStore(sqliteDatabase).WriteBatchAsync(Records());
        var postgresDatabase = await fixture.GetAsync();
        await using (var clear = postgresDatabase.DataSource.CreateCommand("TRUNCATE invocations, invocation_rollups, invocation_model_rollups, invocation_key_rollups"))
        {
            await clear.ExecuteNonQueryAsync();
        }
        await new PostgresInvocationStore(postgresDatabase).WriteBatchAsync(Records());
        return (new SqliteInvocationStatistics(sqliteDatabase), new PostgresInvocationStatistics(postgresDatabase));
    }

    /// <summary>Invocations every 7 h 13 min across month, week, day and hour edges, over varied models, keys and outcomes.</summary>
    private static List<InvocationRecord> Records()
    {
        string?[] keys = [null, "key-a", "key-B", "key-a"];
        (string Provider, string Model)[] models = [("openai", "gpt-4o"), ("openai", "Gpt-4o-mini"), ("deepseek", "chat"), ("ollama", "llama3.2:1b")];
        var records = new List<InvocationRecord>();
        for (var i = 0; i < 120; i++)
        {
            var (provider, model) = models[i % models.Length];
            var key = keys[i / 3 % keys.Length];
            records.Add(new InvocationRecord
            {
                CreatedAt = Origin.AddMinutes(i * 433),
                ClientFormat = "openai",
                Provider = provider,
                Model = model,
                ApiKeyId = key,
                ApiKeyName = key is null ? null : "name of " + key,
                Status = (InvocationStatus)(i % 3),
                HttpStatus = 200,
                PromptTokens = 10 + i,
                CompletionTokens = i * 7 % 50,
                Cost = 0.000000001m * (i * 977 % 10_000),
                LatencyMs = 100 + i * 13 % 900,
                TimeToFirstTokenMs = i % 4 == 0 ? null : 20 + i,
            });
        }
        return records;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
