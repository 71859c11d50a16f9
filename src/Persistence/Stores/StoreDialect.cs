namespace LlmRouter.Persistence.Stores;

/// <summary>
/// What differs between SQLite and PostgreSQL for the stores of keys, sessions, catalog, routing rules, deployment
/// secrets, usage counters, the invocation log's reads and its statistics; everything else is one implementation over ADO.NET. Parameters are written
/// <c>@name</c>, which both understand.
/// </summary>
public sealed record StoreDialect
{
    /// <summary>The store's kind as health reports name it: <c>sqlite</c> or <c>postgresql</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Opens a pooled connection for a read or a rare, durable write; the caller disposes it.</summary>
    public required Func<CancellationToken, ValueTask<DbConnection>> OpenAsync { get; init; }

    /// <summary>
    /// Starts a frequent write whose last moments a crash of the database server may lose (usage counters, last-used
    /// times): SQLite's one write turn of this process, a PostgreSQL connection that commits without the disk flush.
    /// </summary>
    public required Func<CancellationToken, ValueTask<StoreWrite>> BeginFrequentWriteAsync { get; init; }

    /// <summary>
    /// Begins a transaction on <c>connection</c> that no other writer of <c>table</c> runs beside: SQLite's
    /// BEGIN IMMEDIATE (the file's write lock), a PostgreSQL table lock that still lets readers in.
    /// </summary>
    public required Func<DbConnection, string, CancellationToken, ValueTask<DbTransaction>> BeginExclusiveAsync { get; init; }

    /// <summary>The larger of two integer expressions.</summary>
    public required Func<string, string, string> Greatest { get; init; }

    /// <summary>A text column as an ORDER BY term: bytewise, NULLs first (SQLite's own order, so both stores list alike).</summary>
    public required Func<string, string> OrderKey { get; init; }

    /// <summary>The sum of an integer column as a 64-bit integer.</summary>
    public required Func<string, string> Sum { get; init; }

    /// <summary>The UTC start of the month holding a time in Unix milliseconds, in Unix milliseconds.</summary>
    public required Func<string, string> MonthStart { get; init; }

    /// <summary>
    /// What ends a subquery that the planner must run as written instead of merging it into the query around it: a
    /// no-op LIMIT/OFFSET, which both planners leave in place.
    /// </summary>
    public required string Fence { get; init; }

    /// <summary>
    /// Given the log's rows in an id range (<c>id &gt;= … AND id &lt;= …</c>), a status condition or null, and further AND
    /// conditions, a query of the rows meeting them all that the planner answers by walking down the primary key (or, with
    /// a status condition, the <c>(status, id)</c> index), checking the conditions on each row, so that an ORDER BY id
    /// DESC LIMIT after it stops the walk: SQLite's NOT INDEXED (which keeps the rowid) or INDEXED BY; PostgreSQL's fenced
    /// subquery in id order, as its planner would otherwise fetch the matches of a filter's index and sort them.
    /// </summary>
    public required Func<string, string?, string, string> WalkIdsDown { get; init; }

    /// <summary>True for what means "the store cannot answer" rather than a bug: the driver's and the network's errors.</summary>
    public static bool IsStoreFault(Exception exception) =>
        exception is DbException or IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException;
}
