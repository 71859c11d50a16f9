using System.Data.Common;
using System.Text;
using LlmRouter.Abstractions.Invocations;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// Monitoring and cost aggregates over the SQLite invocation log, one GROUP BY statement each. Only fixed SQL
/// fragments are chosen by the caller's enums; every value is a parameter.
/// </summary>
public sealed class SqliteInvocationStatistics(SqliteDatabase database) : IInvocationStatistics
{
    private const string Aggregates = """
        COUNT(*), SUM(CASE WHEN status = $error THEN 1 ELSE 0 END), SUM(CASE WHEN status = $closed THEN 1 ELSE 0 END),
        SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_nano_usd), SUM(latency_ms), COUNT(ttft_ms), SUM(ttft_ms)
        """;

    private const long HourMs = 3_600_000;
    private const long DayMs = 24 * HourMs;
    private const long WeekMs = 7 * DayMs;

    // 1970-01-05 was a Monday: weeks are counted from there.
    private const long MondayMs = 4 * DayMs;

    public async ValueTask<UsageTotals> GetTotalsAsync(UsageRange range, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, range, out var where);
        command.CommandText = $"SELECT {Aggregates} FROM invocations{where}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAggregate(reader, 0).ToTotals() : UsageTotals.Empty;
    }

    public async ValueTask<IReadOnlyList<UsageGroup>> GetBreakdownAsync(
        UsageRange range, UsageDimension dimension, UsageOrder order, int limit, CancellationToken cancellationToken = default)
    {
        var keys = KeyColumns(dimension);
        var ranking = order == UsageOrder.Cost ? "SUM(cost_nano_usd) DESC, COUNT(*) DESC" : "COUNT(*) DESC, SUM(cost_nano_usd) DESC";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, range, out var where);
        command.CommandText = $"SELECT {keys}, {Aggregates} FROM invocations{where} GROUP BY {keys} ORDER BY {ranking}, {keys} LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Max(1, limit));
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
        var first = 1 + (groupBy is { } d ? KeyCount(d) : 0);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, range, out var where);
        command.CommandText = $"SELECT {BucketStart(size)} AS bucket{keys}, {Aggregates} FROM invocations{where} GROUP BY bucket{keys} ORDER BY bucket{keys}";
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
        TimeBucketSize.Month => "CAST(strftime('%s', created_at_ms / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000",
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    private static string KeyColumns(UsageDimension dimension) => dimension switch
    {
        UsageDimension.Model => "provider, model",
        UsageDimension.Provider => "provider",
        UsageDimension.ApiKey => "api_key_id, api_key_name",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

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

    private static SqliteCommand Command(SqliteConnection connection, UsageRange range, out string where)
    {
        var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$error", InvocationStatusNames.Error);
        command.Parameters.AddWithValue("$closed", InvocationStatusNames.ClientClosed);
        var clause = new StringBuilder();
        if (range.Start is { } start)
        {
            clause.Append(" WHERE created_at_ms >= $start");
            command.Parameters.AddWithValue("$start", start.ToUnixTimeMilliseconds());
        }
        if (range.End is { } end)
        {
            clause.Append(clause.Length == 0 ? " WHERE " : " AND ").Append("created_at_ms < $end");
            command.Parameters.AddWithValue("$end", end.ToUnixTimeMilliseconds());
        }
        if (range.ApiKeyId is { } key)
        {
            clause.Append(clause.Length == 0 ? " WHERE " : " AND ").Append("api_key_id = $key");
            command.Parameters.AddWithValue("$key", key);
        }
        where = clause.ToString();
        return command;
    }

    private static long Long(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : reader.GetInt64(ordinal);

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
