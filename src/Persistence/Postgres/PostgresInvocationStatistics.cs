using System.Data.Common;
using System.Text;
using LlmRouter.Abstractions.Invocations;
using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// Monitoring and cost aggregates over the PostgreSQL invocation log, one GROUP BY statement each, with the same
/// buckets and ordering as the SQLite store. Only fixed SQL fragments are chosen by the caller's enums; every value is
/// a parameter.
/// </summary>
public sealed class PostgresInvocationStatistics(PostgresDatabase database) : IInvocationStatistics
{
    private const string Aggregates = """
        count(*), sum(CASE WHEN status = @error THEN 1 ELSE 0 END)::bigint, sum(CASE WHEN status = @closed THEN 1 ELSE 0 END)::bigint,
        sum(prompt_tokens)::bigint, sum(completion_tokens)::bigint, sum(cost_nano_usd)::bigint, sum(latency_ms)::bigint, count(ttft_ms), sum(ttft_ms)::bigint
        """;

    private const long HourMs = 3_600_000;
    private const long DayMs = 24 * HourMs;
    private const long WeekMs = 7 * DayMs;

    // 1970-01-05 was a Monday: weeks are counted from there.
    private const long MondayMs = 4 * DayMs;

    public async ValueTask<UsageTotals> GetTotalsAsync(UsageRange range, CancellationToken cancellationToken = default)
    {
        await using var command = Command(range, out var where);
        command.CommandText = $"SELECT {Aggregates} FROM invocations{where}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAggregate(reader, 0).ToTotals() : UsageTotals.Empty;
    }

    public async ValueTask<IReadOnlyList<UsageGroup>> GetBreakdownAsync(
        UsageRange range, UsageDimension dimension, UsageOrder order, int limit, CancellationToken cancellationToken = default)
    {
        var keys = KeyColumns(dimension);
        var ranking = order == UsageOrder.Cost ? "sum(cost_nano_usd) DESC, count(*) DESC" : "count(*) DESC, sum(cost_nano_usd) DESC";
        await using var command = Command(range, out var where);
        command.CommandText = $"SELECT {keys}, {Aggregates} FROM invocations{where} GROUP BY {keys} ORDER BY {ranking}, {Ordered(keys)} LIMIT @limit";
        command.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Max(1, limit)));
        var groups = new List<UsageGroup>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            groups.Add(ReadGroup(reader, dimension, 0, ReadAggregate(reader, KeyCount(dimension)).ToTotals()));
        }
        return groups;
    }

    public async ValueTask<IReadOnlyList<UsageBucket>> GetTimeSeriesAsync(
        UsageRange range, TimeBucketSize size, UsageDimension? groupBy, CancellationToken cancellationToken = default)
    {
        var keys = groupBy is { } dimension ? ", " + KeyColumns(dimension) : "";
        var ordered = groupBy is { } ordering ? ", " + Ordered(KeyColumns(ordering)) : "";
        var first = 1 + (groupBy is { } d ? KeyCount(d) : 0);
        await using var command = Command(range, out var where);
        command.CommandText = $"SELECT {BucketStart(size)} AS bucket{keys}, {Aggregates} FROM invocations{where} GROUP BY bucket{keys} ORDER BY bucket{ordered}";
        var buckets = new List<UsageBucket>();
        long? current = null;
        var sum = default(UsageAggregate);
        var groups = new List<UsageGroup>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var start = reader.GetInt64(0);
            if (current is { } open && open != start)
            {
                buckets.Add(new UsageBucket(DateTimeOffset.FromUnixTimeMilliseconds(open), sum.ToTotals(), groups));
                sum = default;
                groups = [];
            }
            current = start;
            var aggregate = ReadAggregate(reader, first);
            sum += aggregate;
            if (groupBy is { } grouping)
            {
                groups.Add(ReadGroup(reader, grouping, 1, aggregate.ToTotals()));
            }
        }
        if (current is { } last)
        {
            buckets.Add(new UsageBucket(DateTimeOffset.FromUnixTimeMilliseconds(last), sum.ToTotals(), groups));
        }
        return buckets;
    }

    /// <summary>The bucket a row falls in, as the UTC start of its hour, day, week (Monday) or month in Unix milliseconds.</summary>
    private static string BucketStart(TimeBucketSize size) => size switch
    {
        TimeBucketSize.Hour => $"(created_at_ms / {HourMs}) * {HourMs}",
        TimeBucketSize.Day => $"(created_at_ms / {DayMs}) * {DayMs}",
        TimeBucketSize.Week => $"((created_at_ms - {MondayMs}) / {WeekMs}) * {WeekMs} + {MondayMs}",
        TimeBucketSize.Month => "(extract(epoch FROM date_trunc('month', to_timestamp(created_at_ms / 1000.0) AT TIME ZONE 'UTC')) * 1000)::bigint",
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    private static string KeyColumns(UsageDimension dimension) => dimension switch
    {
        UsageDimension.Model => "provider, model",
        UsageDimension.Provider => "provider",
        UsageDimension.ApiKey => "api_key_id, api_key_name",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    // SQLite sorts text by bytes and NULLs first; the same order here keeps both stores' answers identical.
    private static string Ordered(string keys) =>
        string.Join(", ", keys.Split(", ").Select(k => $"{k} COLLATE \"C\" NULLS FIRST"));

    private static int KeyCount(UsageDimension dimension) => dimension == UsageDimension.Provider ? 1 : 2;

    private static UsageGroup ReadGroup(DbDataReader reader, UsageDimension dimension, int at, UsageTotals totals) => dimension switch
    {
        UsageDimension.Model => new UsageGroup(totals) { Provider = reader.GetString(at), Model = reader.GetString(at + 1) },
        UsageDimension.Provider => new UsageGroup(totals) { Provider = reader.GetString(at) },
        _ => new UsageGroup(totals) { ApiKeyId = NullableString(reader, at), ApiKeyName = NullableString(reader, at + 1) },
    };

    private static UsageAggregate ReadAggregate(DbDataReader reader, int at) => new(
        Long(reader, at), Long(reader, at + 1), Long(reader, at + 2), Long(reader, at + 3), Long(reader, at + 4),
        Long(reader, at + 5), Long(reader, at + 6), Long(reader, at + 7), Long(reader, at + 8));

    private NpgsqlCommand Command(UsageRange range, out string where)
    {
        var command = database.DataSource.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter<string>("error", InvocationStatusNames.Error));
        command.Parameters.Add(new NpgsqlParameter<string>("closed", InvocationStatusNames.ClientClosed));
        var clause = new StringBuilder();
        if (range.Start is { } start)
        {
            clause.Append(" WHERE created_at_ms >= @start");
            command.Parameters.Add(new NpgsqlParameter<long>("start", start.ToUnixTimeMilliseconds()));
        }
        if (range.End is { } end)
        {
            clause.Append(clause.Length == 0 ? " WHERE " : " AND ").Append("created_at_ms < @end");
            command.Parameters.Add(new NpgsqlParameter<long>("end", end.ToUnixTimeMilliseconds()));
        }
        if (range.ApiKeyId is { } key)
        {
            clause.Append(clause.Length == 0 ? " WHERE " : " AND ").Append("api_key_id = @key");
            command.Parameters.Add(new NpgsqlParameter<string>("key", key));
        }
        where = clause.ToString();
        return command;
    }

    private static long Long(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : reader.GetInt64(ordinal);

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
