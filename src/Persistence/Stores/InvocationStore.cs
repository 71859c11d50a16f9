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
    /// walking the window's ids would cost more (see <see cref="ChooseAsync"/>).
    /// </summary>
    public long SortedWindowRowsAtMost { get; init; } = DefaultSortedWindowRows;

    /// <summary>What <see cref="SortedWindowRowsAtMost"/> is unless set: about 50 ms of reading and sorting.</summary>
    public const long DefaultSortedWindowRows = 50_000;

    /// <summary>
    /// What a row reached through a secondary index costs, in rows of the primary-key walk: about eight (over a month of
    /// a 10M-call log, 1.1 against 0.15 µs a row on SQLite, 3.7 against 0.48 µs on PostgreSQL), as each is looked up
    /// in the table on its own where the walk reads the table's rows in order.
    /// </summary>
    private const double IndexedRowCost = 8;

    /// <summary>For tests: how every page of a time window is read, instead of the plan chosen for it.</summary>
    public WindowPlan? ForcedWindowPlan { get; init; }

    public abstract ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page newest first (by id). The total comes from the roll-ups (see <see cref="RollupStatistics.CountAsync"/>); only
    /// one call's few attempts are counted in the log. Left to itself, a planner answers a time window far back by
    /// walking the primary key down from the newest call, past every call logged since, as it cannot know that ids
    /// follow time; so a window's page walks ids down only between the smallest and largest id logged in the window's
    /// hours (<see cref="InvocationIdBounds"/>): the primary key, or the <c>(status, id)</c> index when a status filter
    /// makes that walk shorter; or, when its matches are too sparse for either walk to be short, reads them whole through
    /// an index as a fenced subquery and sorts them (see <see cref="ChooseAsync"/>).
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
            if (plan is WindowPlan.Bounded or WindowPlan.BoundedByStatus)
            {
                ids = await InvocationIdBounds.ReadAsync(connection, query.Start, query.End, cancellationToken).ConfigureAwait(false);
                plan = ForcedWindowPlan ?? await ChooseAsync(query, total, ids, offset + limit, cancellationToken).ConfigureAwait(false);
            }
            if (plan == WindowPlan.BoundedByStatus && query.Status is null)
            {
                plan = WindowPlan.Bounded;
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
        var walked = plan is WindowPlan.Bounded or WindowPlan.BoundedByStatus;
        if (walked && (ids is not { } bounds || high < bounds.Low))
        {
            return new InvocationPage(total, []);
        }
        var page = $"ORDER BY id DESC LIMIT {command.Bind("limit", limit)} OFFSET {command.Bind("offset", offset)}";
        if (walked)
        {
            var range = $"id >= {command.Bind("low", ids!.Value.Low)} AND id <= {command.Bind("high", high)}";
            var status = plan == WindowPlan.BoundedByStatus
                ? $"status = {command.Bind("walkedStatus", InvocationStatusNames.ToName(query.Status!.Value))}"
                : null;
            command.CommandText = $"{dialect.WalkIdsDown(range, status, InvocationFilters.OnLog(command, query))} {page}";
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
    /// The plan that costs the fewest rows, if matches are spread evenly over the window's ids (counted by the roll-ups),
    /// rows reached through an index costing <see cref="IndexedRowCost"/> each. The bounded walk passes about
    /// <paramref name="wanted"/> ids for each match's share of them, never more than the window's ids (below before_id);
    /// the status index walk passes as many of that status's calls for each match's share of them, never more than that
    /// status's calls in the window's hours; the sorted read touches every call of the window the query's other filters
    /// match (an index of the key, model or window gives them; the status is checked on each), and is a choice only for
    /// at most <see cref="SortedWindowRowsAtMost"/> matches.
    /// </summary>
    private async ValueTask<WindowPlan> ChooseAsync(
        InvocationQuery query, long total, (long Low, long High)? ids, int wanted, CancellationToken cancellationToken)
    {
        if (ids is not { } bounds)
        {
            return WindowPlan.Bounded;
        }
        var span = bounds.High - bounds.Low + 1.0;
        var below = query.BeforeId is { } before ? Math.Clamp(before - bounds.Low, 0, span) / span : 1;
        double Walked(double rows) => total > 0 ? Math.Min(below * rows, wanted * rows / total) : below * rows;
        var (plan, touched) = (WindowPlan.Bounded, Walked(span));
        if (query.Status is { } status)
        {
            var (start, end) = InvocationIdBounds.Hours(query.Start, query.End);
            var ofStatus = await _rollups.CountAsync(new InvocationQuery { Status = status, Start = start, End = end }, cancellationToken)
                .ConfigureAwait(false);
            if (IndexedRowCost * Walked(ofStatus) < touched)
            {
                (plan, touched) = (WindowPlan.BoundedByStatus, IndexedRowCost * Walked(ofStatus));
            }
        }
        if (total <= SortedWindowRowsAtMost)
        {
            var read = query.Status is null
                ? total
                : await _rollups.CountAsync(query with { Status = null }, cancellationToken).ConfigureAwait(false);
            if (IndexedRowCost * read < touched)
            {
                plan = WindowPlan.Sorted;
            }
        }
        return plan;
    }
}
