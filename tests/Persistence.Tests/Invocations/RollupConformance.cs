using System.Text.Json;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>
/// Statistics from roll-ups answer exactly what the log itself adds up to (<see cref="UsageOracle"/>): after every kind
/// of write, across bucket edges, for ranges cut anywhere, scoped to a key, after retention deletes old rows, after a
/// batch that failed, and when their migration builds them for a log written before roll-ups existed.
/// </summary>
public abstract class RollupConformance
{
    private static readonly DateTimeOffset Edge = new(2025, 3, 31, 23, 58, 30, TimeSpan.Zero);

    /// <summary>A store and its statistics over an empty log.</summary>
    protected abstract Task<(IInvocationStore Store, IInvocationStatistics Statistics)> EmptyAsync();

    /// <summary>Runs SQL on the store's database (statements separated by ';').</summary>
    protected abstract Task ExecuteAsync(string sql);

    /// <summary>Brings the store's schema up to date.</summary>
    protected abstract Task MigrateAsync();

    /// <summary>The store's migration that creates and builds the roll-ups.</summary>
    protected abstract int RollupMigration { get; }

    /// <summary>The store's migration that adds the rejected count to the roll-ups (and two columns to the log).</summary>
    protected abstract int RejectedMigration { get; }

    /// <summary>The store's migration that builds the roll-ups summed over keys and over models from the roll-ups.</summary>
    protected abstract int SliceMigration { get; }

    private const string DropSlices = "DROP TABLE invocation_model_rollups; DROP TABLE invocation_key_rollups; ";

    private static IEnumerable<UsageRange> Ranges =>
    [
        UsageRange.All,
        Range("2025-03-31T23:59:10.250Z", "2025-04-01T01:00:59.999Z"),
        Range("2025-03-31T23:59:05Z", "2025-03-31T23:59:40Z"),
        Range("2025-03-31T23:59:50Z", "2025-04-01T00:00:20Z"),
        Range(null, "2025-04-01T00:30:15.5Z"),
        Range("2025-03-15T10:10:10Z", null),
        Range("2025-02-01T00:00:00.001Z", "2025-06-01T00:00:00Z"),
        Range("2025-04-01T00:00:00Z", "2025-04-02T00:00:00Z"),
        UsageRange.All with { ApiKeyId = "key-a" },
        Range("2025-03-31T23:59:10.250Z", "2025-04-20T13:00:00Z") with { ApiKeyId = "key-b" },
    ];

    [StoreFact]
    public async Task Every_query_answers_what_the_log_adds_up_to_after_every_kind_of_write()
    {
        var (store, statistics) = await EmptyAsync();
        var records = Records();
        // Several batches, so roll-up rows are added to, not only created.
        foreach (var batch in records.Chunk(37))
        {
            await store.WriteBatchAsync(batch);
        }

        await AssertAnswersAsync(statistics, records, Ranges);
    }

    [StoreFact]
    public async Task Rollups_stay_when_retention_deletes_old_log_rows()
    {
        var (store, statistics) = await EmptyAsync();
        var records = Records();
        await store.WriteBatchAsync(records);
        var cutoff = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);

        var deleted = 0;
        while (await store.DeleteOlderThanAsync(cutoff, 50) is var count and > 0)
        {
            deleted += count;
        }

        Assert.Equal(records.Count(r => r.CreatedAt < cutoff), deleted);
        Assert.Equal(records.Count - deleted, (await store.ListAsync(new InvocationQuery())).Total);
        // Ranges on whole minutes are answered from roll-ups alone: the deleted calls still count.
        await AssertAnswersAsync(statistics, records,
        [
            UsageRange.All,
            Range("2025-02-01T00:00:00Z", "2025-06-01T00:00:00Z"),
            Range(null, "2025-04-01T00:30:00Z"),
            UsageRange.All with { ApiKeyId = "key-a" },
        ]);
    }

    [StoreFact]
    public async Task The_list_total_counts_what_the_log_holds_for_every_filter_before_and_after_retention()
    {
        var (store, _) = await EmptyAsync();
        var records = Records();
        await store.WriteBatchAsync(records);
        await AssertTotalsAsync(store, records);

        var cutoff = new DateTimeOffset(2025, 3, 31, 23, 59, 20, 500, TimeSpan.Zero);
        while (await store.DeleteOlderThanAsync(cutoff, 50) > 0)
        {
        }
        await AssertTotalsAsync(store, records.Where(r => r.CreatedAt >= cutoff).ToList());
    }

    private static async Task AssertTotalsAsync(IInvocationStore store, IReadOnlyList<InvocationRecord> logged)
    {
        var queries = new List<InvocationQuery> { new() };
        queries.AddRange(Enum.GetValues<InvocationStatus>().Select(s => new InvocationQuery { Status = s }));
        queries.AddRange(Ranges.Select(r => new InvocationQuery { Start = r.Start, End = r.End, ScopeApiKeyId = r.ApiKeyId }));
        queries.AddRange(
        [
            new() { Provider = "openai" },
            new() { Model = "openai/Gpt-4o-mini" },
            new() { Model = "chat", Status = InvocationStatus.Rejected },
            new() { Model = "no-such-model" },
            new() { ApiKey = "key-b" },
            new() { ApiKey = "name of key-a", Status = InvocationStatus.Success, Start = Edge },
            new() { ScopeApiKeyId = "key-a", Provider = "ollama", End = Edge.AddMinutes(30) },
            new() { Start = Edge.AddYears(1) },
        ]);
        foreach (var query in queries)
        {
            var expected = logged.Count(r =>
                (query.Status is not { } status || r.Status == status)
                && (query.Provider is null || r.Provider == query.Provider)
                && (query.Model is null || r.Model == query.Model || $"{r.Provider}/{r.Model}" == query.Model)
                && (query.ApiKey is null || r.ApiKeyId == query.ApiKey || r.ApiKeyName == query.ApiKey)
                && (query.ScopeApiKeyId is null || r.ApiKeyId == query.ScopeApiKeyId)
                && (query.Start is not { } start || r.CreatedAt >= start) && (query.End is not { } end || r.CreatedAt < end));
            Assert.True(expected == (await store.ListAsync(query with { Limit = 1 })).Total, $"total of {query}: the log holds {expected}");
        }
    }

    [StoreFact]
    public async Task A_batch_that_fails_adds_nothing_to_log_or_rollups()
    {
        var (store, statistics) = await EmptyAsync();
        var records = Records();
        var (first, second) = (records.Take(100).ToArray(), records.Skip(100).ToArray());
        await store.WriteBatchAsync(first);

        // A record the store refuses (NOT NULL) in the middle of the next batch: as if the node died before its commit.
        var broken = second.Take(10).Append(second[10] with { ClientFormat = null! }).Concat(second.Skip(11)).ToArray();
        await Assert.ThrowsAnyAsync<Exception>(async () => await store.WriteBatchAsync(broken));

        await AssertAnswersAsync(statistics, first, Ranges);
        await store.WriteBatchAsync(second);
        await AssertAnswersAsync(statistics, records, Ranges);
    }

    [StoreFact]
    public async Task The_rollup_migration_builds_the_rollups_of_a_log_written_before_them()
    {
        var (store, statistics) = await EmptyAsync();
        // A log from before roll-ups holds no rejected calls: the router did not log them yet.
        var records = Records().Where(r => r.Status != InvocationStatus.Rejected).ToList();
        await store.WriteBatchAsync(records);
        // Back to the schema before the roll-ups, with the log kept: then migrate again.
        await ExecuteAsync(DropSlices + "DROP TABLE invocation_rollups; DROP INDEX ix_invocations_status; DROP INDEX ix_invocations_provider; " +
            "DROP INDEX ix_invocations_call; ALTER TABLE invocations DROP COLUMN refused_by; ALTER TABLE invocations DROP COLUMN call_id; " +
            $"DELETE FROM schema_migrations WHERE version IN ({RollupMigration}, {RejectedMigration}, {SliceMigration})");

        await MigrateAsync();

        await AssertAnswersAsync(statistics, records, Ranges);
    }

    [StoreFact]
    public async Task The_slice_migration_builds_the_model_and_key_rollups_from_the_rollups_even_after_retention()
    {
        var (store, statistics) = await EmptyAsync();
        var records = Records();
        await store.WriteBatchAsync(records);
        // Retention has deleted the log's older half: only the roll-ups still hold it.
        var cutoff = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero);
        while (await store.DeleteOlderThanAsync(cutoff, 50) > 0)
        {
        }
        await ExecuteAsync(DropSlices + $"DELETE FROM schema_migrations WHERE version = {SliceMigration}");

        await MigrateAsync();

        // Totals and model or key groups read the rebuilt slices; answers on whole minutes still count the deleted calls.
        await AssertAnswersAsync(statistics, records,
        [
            UsageRange.All,
            Range("2025-02-01T00:00:00Z", "2025-06-01T00:00:00Z"),
            Range(null, "2025-04-01T00:30:00Z"),
            Range("2025-04-01T00:00:00Z", null),
        ]);
    }

    private static async Task AssertAnswersAsync(IInvocationStatistics statistics, IReadOnlyList<InvocationRecord> records, IEnumerable<UsageRange> ranges)
    {
        foreach (var range in ranges)
        {
            Same(UsageOracle.Totals(records, range), await statistics.GetTotalsAsync(range), range, "totals");
            foreach (var dimension in Enum.GetValues<UsageDimension>())
            {
                foreach (var order in Enum.GetValues<UsageOrder>())
                {
                    foreach (var limit in new[] { 2, 50 })
                    {
                        Same(UsageOracle.Breakdown(records, range, dimension, order, limit),
                            await statistics.GetBreakdownAsync(range, dimension, order, limit), range, $"breakdown {dimension} {order} {limit}");
                    }
                }
            }
            foreach (var size in Enum.GetValues<TimeBucketSize>())
            {
                foreach (var groupBy in Enum.GetValues<UsageDimension>().Cast<UsageDimension?>().Prepend(null))
                {
                    Same(UsageOracle.Series(records, range, size, groupBy),
                        await statistics.GetTimeSeriesAsync(range, size, groupBy), range, $"series {size} {groupBy}");
                }
            }
        }
    }

    private static void Same<T>(T expected, T actual, UsageRange range, string query)
    {
        var (e, a) = (JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
        Assert.True(e == a, $"{query} over {range}:\nlog:      {e}\nroll-ups: {a}");
    }

    private static UsageRange Range(string? start, string? end) => new(
        start is null ? null : DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
        end is null ? null : DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Every kind of write (success, error, client hang-up, estimated usage, fallback attempts, streams with a first
    /// token, calls without a key, calls the router refused, some before a model was known), dense across a minute, hour, day and month edge and sparse over four months, some
    /// exactly on a boundary and some a millisecond before one.
    /// </summary>
    private static List<InvocationRecord> Records()
    {
        string?[] keys = [null, "key-a", "key-b", "key-a"];
        (string Provider, string Model)[] models = [("openai", "gpt-4o"), ("openai", "Gpt-4o-mini"), ("deepseek", "chat"), ("ollama", "llama3.2:1b")];
        var times = Enumerable.Range(0, 160).Select(i => Edge.AddSeconds(i * 37))
            .Concat(Enumerable.Range(0, 80).Select(i => Edge.AddMinutes(-40_000 + i * 1_201)))
            .Concat([Edge.AddSeconds(30), Edge.AddSeconds(30).AddMilliseconds(-1), Edge.AddSeconds(90), Edge.AddMinutes(61.5).AddMilliseconds(-1)]);
        return times.Select((at, i) =>
        {
            var (provider, model) = models[i % models.Length];
            var key = keys[i / 3 % keys.Length];
            var status = (InvocationStatus)(i % 3);
            if (i % 11 == 5)
            {
                // Refused by the router: nothing went upstream, and a bad request names no model it knows.
                return new InvocationRecord
                {
                    CreatedAt = at,
                    ClientFormat = "openai",
                    Provider = i % 22 == 5 ? "" : provider,
                    Model = i % 22 == 5 ? "no-such-model" : model,
                    ApiKeyId = key,
                    ApiKeyName = key is null ? null : "name of " + key,
                    Status = InvocationStatus.Rejected,
                    HttpStatus = 429,
                    Error = "rate_limit_exceeded: key rpm 60",
                    LatencyMs = 1 + i % 3,
                };
            }
            return new InvocationRecord
            {
                CreatedAt = at,
                ClientFormat = "openai",
                Provider = provider,
                Model = model,
                ApiKeyId = key,
                ApiKeyName = key is null ? null : "name of " + key,
                Status = status,
                HttpStatus = status == InvocationStatus.Error ? 502 : 200,
                PromptTokens = status == InvocationStatus.Error ? 0 : 10 + i,
                CompletionTokens = status == InvocationStatus.Error ? 0 : i * 7 % 50,
                UsageEstimated = i % 5 == 0,
                Attempts = i % 7 == 0 ? 3 : 1,
                Cost = 0.000000001m * (i * 977 % 10_000),
                LatencyMs = 100 + i * 13 % 900,
                Stream = i % 4 != 0,
                TimeToFirstTokenMs = i % 4 == 0 ? null : 20 + i,
            };
        }).ToList();
    }
}
