namespace LlmRouter.Persistence.Stores;

/// <summary>
/// The invocation log over a <see cref="StoreDialect"/>: its pages, single reads and pruning are one implementation;
/// each store writes its batches (with their roll-ups) the way its database takes them fastest.
/// </summary>
public abstract class InvocationStore(StoreDialect dialect) : IInvocationStore
{
    private readonly RollupStatistics _rollups = new(dialect);

    /// <summary>
    /// How many matching calls a time window may hold for a page to read them all through the time index and sort them,
    /// instead of walking the log newest first (see <see cref="ListAsync"/>).
    /// </summary>
    public long SortedWindowRowsAtMost { get; init; } = DefaultSortedWindowRows;

    /// <summary>What <see cref="SortedWindowRowsAtMost"/> is unless set: about 50 ms of reading and sorting.</summary>
    public const long DefaultSortedWindowRows = 50_000;

    public abstract ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page newest first (by id). The total comes from the roll-ups (see <see cref="RollupStatistics.CountAsync"/>); only
    /// one call's few attempts are counted in the log. Left to itself, a planner answers a time window far back by
    /// walking the primary key down from the newest call, past every call logged since (a second for a day six months
    /// back in ten million calls), as it cannot know that ids follow time; so when the roll-ups say the window holds
    /// few calls, or fewer than were logged after it, its rows are read as a fenced subquery and sorted.
    /// </summary>
    public async ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default)
    {
        var total = query.CallId is null ? await _rollups.CountAsync(query, cancellationToken).ConfigureAwait(false) : -1;
        var sorted = await ReadsWindowSortedAsync(query, total, cancellationToken).ConfigureAwait(false);
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = " WHERE 1 = 1" + InvocationFilters.OnLog(command, query);
        if (total < 0)
        {
            command.CommandText = "SELECT COUNT(*) FROM invocations" + where;
            total = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        var before = query.BeforeId is { } beforeId ? $" AND id < {command.Bind("before", beforeId)}" : "";
        var page = $"ORDER BY id DESC LIMIT {command.Bind("limit", Math.Clamp(query.Limit, 1, 1000))} OFFSET {command.Bind("offset", Math.Max(0, query.Offset))}";
        var rows = $"SELECT {InvocationRows.Columns} FROM invocations{where}{before}";
        command.CommandText = sorted ? $"SELECT * FROM ({rows} {dialect.Fence}) AS w {page}" : $"{rows} {page}";
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
    /// Whether a page reads its time window whole and sorts it: when the window holds at most
    /// <see cref="SortedWindowRowsAtMost"/> matches, or fewer than the calls logged after it, which the walk down from the
    /// newest call would pass first.
    /// </summary>
    private async ValueTask<bool> ReadsWindowSortedAsync(InvocationQuery query, long total, CancellationToken cancellationToken)
    {
        if (query.Start is null && query.End is null)
        {
            return false;
        }
        if (total <= SortedWindowRowsAtMost)
        {
            return true;
        }
        return query.End is { } end && total < await _rollups.CountAsync(new InvocationQuery { Start = end }, cancellationToken).ConfigureAwait(false);
    }
}
