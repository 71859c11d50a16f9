namespace LlmRouter.Persistence.Rollups;

/// <summary>
/// Monitoring and cost aggregates from the roll-ups (whole minutes, hours, days, weeks or months) and, for the part of a minute at
/// each edge of a range, from the log itself: one GROUP BY statement each, answering exactly what summing every logged
/// row would, in time that does not grow with the log. Only fixed SQL fragments are chosen by the caller's enums;
/// every value is a parameter. A store supplies its <see cref="StoreDialect"/>.
/// </summary>
public class RollupStatistics(StoreDialect dialect) : IInvocationStatistics
{
    private const long HourMs = 3_600_000;
    private const long DayMs = 24 * HourMs;
    private const long WeekMs = 7 * DayMs;

    // 1970-01-05 was a Monday: weeks are counted from there.
    private const long MondayMs = 4 * DayMs;

    private readonly string _aggregates = string.Join(", ",
        RollupSchema.SumColumns.Split(", ")
            .Select(dialect.Sum));

    public async ValueTask<UsageTotals> GetTotalsAsync(UsageRange range, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {_aggregates} FROM ({UsageRows.Select(command, range, null, Slice(range, null))}) AS u";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAggregate(reader, 0).ToTotals() : UsageTotals.Empty;
    }

    public async ValueTask<IReadOnlyList<UsageGroup>> GetBreakdownAsync(
        UsageRange range, UsageDimension dimension, UsageOrder order, int limit, CancellationToken cancellationToken = default)
    {
        var keys = KeyColumns(dimension);
        var (requests, cost) = (dialect.Sum("requests"), dialect.Sum("cost_nano_usd"));
        var ranking = order == UsageOrder.Cost ? $"{cost} DESC, {requests} DESC" : $"{requests} DESC, {cost} DESC";
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var source = UsageRows.Select(command, range, null, Slice(range, dimension));
        command.CommandText =
            $"SELECT {keys}, {_aggregates} FROM ({source}) AS u GROUP BY {keys} ORDER BY {ranking}, {Ordered(keys)} LIMIT {command.Bind("limit", Math.Max(1, limit))}";
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
        // A series bucket is summed from roll-ups no coarser than itself.
        IReadOnlyList<int> ladder = size switch
        {
            TimeBucketSize.Hour => [InvocationRollups.Minute, InvocationRollups.Hour],
            TimeBucketSize.Day => [InvocationRollups.Minute, InvocationRollups.Hour, InvocationRollups.Day],
            TimeBucketSize.Week => InvocationRollups.WeekLadder,
            _ => InvocationRollups.MonthLadder,
        };
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var source = UsageRows.Select(command, range, ladder, Slice(range, groupBy));
        command.CommandText = $"SELECT {BucketStart(size)} AS bucket{keys}, {_aggregates} FROM ({source}) AS u GROUP BY bucket{keys} ORDER BY bucket{ordered}";
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

    /// <summary>
    /// How many logged calls match a list query's filters (its paging aside), read like the statistics: roll-ups for the
    /// whole minutes, the log for the edges, so it costs what a statistics answer does however large the log. Roll-ups
    /// outlive retention, so the range starts no earlier than the oldest call still logged: retention deletes oldest
    /// first, so every call from there on is still in the log (and the partial minute there is read from the log itself).
    /// </summary>
    public async ValueTask<long> CountAsync(InvocationQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var oldest = connection.CreateCommand();
        oldest.CommandText = "SELECT MIN(created_at_ms) FROM invocations";
        if (await oldest.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not { } value || value is DBNull)
        {
            return 0;
        }
        var first = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture));
        var start = query.Start > first ? query.Start.Value : first;
        if (query.End <= start)
        {
            return 0;
        }
        var counted = query.Status switch
        {
            null => "requests + rejected",
            InvocationStatus.Success => "requests - errors - client_closed",
            InvocationStatus.Error => "errors",
            InvocationStatus.ClientClosed => "client_closed",
            _ => "rejected",
        };
        await using var command = connection.CreateCommand();
        var range = new UsageRange(start, query.End) { ApiKeyId = query.ScopeApiKeyId };
        var slice = RollupSlice.For(models: query.Model is not null || query.Provider is not null, keys: query.ApiKey is not null || query.ScopeApiKeyId is not null);
        command.CommandText = $"SELECT {dialect.Sum(counted)} FROM ({UsageRows.Select(command, range, null, slice, InvocationFilters.Shared(command, query))}) AS u";
        var total = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return total is null or DBNull ? 0 : Convert.ToInt64(total, CultureInfo.InvariantCulture);
    }

    /// <summary>The bucket a row falls in, as the UTC start of its hour, day, week (Monday) or month in Unix milliseconds.</summary>
    private string BucketStart(TimeBucketSize size) => size switch
    {
        TimeBucketSize.Hour => $"(t / {HourMs}) * {HourMs}",
        TimeBucketSize.Day => $"(t / {DayMs}) * {DayMs}",
        TimeBucketSize.Week => $"((t - {MondayMs}) / {WeekMs}) * {WeekMs} + {MondayMs}",
        TimeBucketSize.Month => dialect.MonthStart("t"),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    /// <summary>The slice to read a range grouped by <paramref name="dimension"/> (none: totals) from.</summary>
    private static RollupSlice Slice(UsageRange range, UsageDimension? dimension) =>
        RollupSlice.For(models: dimension is UsageDimension.Model or UsageDimension.Provider, keys: dimension == UsageDimension.ApiKey || range.ApiKeyId is not null);

    private string Ordered(string keys) => string.Join(", ", keys.Split(", ").Select(dialect.OrderKey));

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
        Long(reader, at + 5), Long(reader, at + 6), Long(reader, at + 7), Long(reader, at + 8), Long(reader, at + 9));

    private static long Long(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : reader.GetInt64(ordinal);

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
