namespace LlmRouter.Persistence.Stores;

/// <summary>
/// The invocation log over a <see cref="StoreDialect"/>: its pages, single reads and pruning are one implementation;
/// each store writes its batches (with their roll-ups) the way its database takes them fastest.
/// </summary>
public abstract class InvocationStore(StoreDialect dialect) : IInvocationStore
{
    private readonly RollupStatistics _rollups = new(dialect);

    /// <summary>
    /// How many matching calls a time window may hold for a page to read them all through an index and sort them, when
    /// walking the window's ids would pass more rows than that (see <see cref="ListAsync"/>).
    /// </summary>
    public long SortedWindowRowsAtMost { get; init; } = DefaultSortedWindowRows;

    /// <summary>What <see cref="SortedWindowRowsAtMost"/> is unless set: about 50 ms of reading and sorting.</summary>
    public const long DefaultSortedWindowRows = 50_000;

    /// <summary>For tests: how every page of a time window is read, instead of the plan chosen for it.</summary>
    public WindowPlan? ForcedWindowPlan { get; init; }

    public abstract ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page newest first (by id). The total comes from the roll-ups (see <see cref="RollupStatistics.CountAsync"/>); only
    /// one call's few attempts are counted in the log. Left to itself, a planner answers a time window far back by
    /// walking the primary key down from the newest call, past every call logged since, as it cannot know that ids
    /// follow time; so a window's page walks the primary key down only between the smallest and largest id logged in
    /// the window's hours (<see cref="InvocationIdBounds"/>), or, when its matches are too sparse among those ids for the
    /// walk to be short, reads them whole through an index as a fenced subquery and sorts them.
    /// </summary>
    public async ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default)
    {
        var total = query.CallId is null ? await _rollups.CountAsync(query, cancellationToken).ConfigureAwait(false) : -1;
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var limit = Math.Clamp(query.Limit, 1, 1000);
        var offset = Math.Max(0, query.Offset);
        var plan = WindowPlan.Newest;
        (long Low, long High)? ids = null;
        if (query.Start is not null || query.End is not null)
        {
            plan = ForcedWindowPlan ?? (query.CallId is null ? WindowPlan.Bounded : WindowPlan.Sorted);
            if (plan == WindowPlan.Bounded)
            {
                ids = await InvocationIdBounds.ReadAsync(connection, query.Start, query.End, cancellationToken).ConfigureAwait(false);
                plan = ForcedWindowPlan ?? Choose(query, total, ids, offset + limit);
            }
        }
        await using var command = connection.CreateCommand();
        if (total < 0)
        {
            command.CommandText = "SELECT COUNT(*) FROM invocations WHERE 1 = 1" + InvocationFilters.OnLog(command, query);
            total = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            command.Parameters.Clear();
        }
        // The walk's upper end is before_id's bound when that is lower: one bound, as SQLite walks from only one of two.
        var high = Math.Min(ids?.High ?? long.MaxValue, query.BeforeId is { } beforeId ? beforeId - 1 : long.MaxValue);
        if (plan == WindowPlan.Bounded && (ids is not { } bounds || high < bounds.Low))
        {
            return new InvocationPage(total, []);
        }
        var page = $"ORDER BY id DESC LIMIT {command.Bind("limit", limit)} OFFSET {command.Bind("offset", offset)}";
        if (plan == WindowPlan.Bounded)
        {
            var range = $"id >= {command.Bind("low", ids!.Value.Low)} AND id <= {command.Bind("high", high)}";
            command.CommandText = $"{dialect.WalkIdsDown(range, InvocationFilters.OnLog(command, query))} {page}";
        }
        else
        {
            var before = query.BeforeId is { } id ? $" AND id < {command.Bind("before", id)}" : "";
            var rows = $"SELECT {InvocationRows.Columns} FROM invocations WHERE 1 = 1{InvocationFilters.OnLog(command, query)}{before}";
            command.CommandText = plan == WindowPlan.Sorted ? $"SELECT * FROM ({rows} {dialect.Fence}) AS w {page}" : $"{rows} {page}";
        }
        var items = new List<InvocationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(InvocationRows.ReadSummary(reader));
        }
        return new InvocationPage(total, items);
    }

    public ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        dialect.ReadOneAsync($"SELECT {InvocationRows.ColumnsWithBodies} FROM invocations WHERE id = @id", [("@id", id)],
            InvocationRows.ReadFull, cancellationToken);

    public async ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default)
    {
        // Oldest first and a bounded number per statement, so pruning never holds a lock for long; a prune lost to a crash of the
        // database server is done again by the next.
        await using var write = await dialect.BeginFrequentWriteAsync(cancellationToken).ConfigureAwait(false);
        return await write.Command("""
                DELETE FROM invocations WHERE id IN (
                    SELECT id FROM invocations WHERE created_at_ms < @cutoff ORDER BY created_at_ms LIMIT @limit)
                """)
            .Set("@cutoff", cutoff.ToUnixTimeMilliseconds())
            .Set("@limit", limit)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sorted when the window holds at most <see cref="SortedWindowRowsAtMost"/> matches and walking its ids would pass more
    /// rows than that: the walk passes about <paramref name="wanted"/> rows for each match's share of the ids, if matches
    /// are spread evenly over them. Otherwise the bounded walk, which never passes more rows than the window's ids.
    /// </summary>
    private WindowPlan Choose(InvocationQuery query, long total, (long Low, long High)? ids, int wanted)
    {
        if (ids is not { } bounds)
        {
            return WindowPlan.Bounded;
        }
        var span = bounds.High - bounds.Low + 1.0;
        var below = query.BeforeId is { } before ? Math.Clamp(before - bounds.Low, 0, span) : span;
        var walked = total > 0 ? Math.Min(below, wanted * span / total) : below;
        return total <= SortedWindowRowsAtMost && walked > total ? WindowPlan.Sorted : WindowPlan.Bounded;
    }
}
