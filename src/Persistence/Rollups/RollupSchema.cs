namespace LlmRouter.Persistence.Rollups;

/// <summary>The roll-up table's SQL, the same in both stores but for the integer type's name.</summary>
internal static class RollupSchema
{
    public const string KeyColumns = "bucket_level, bucket_ms, provider, model, api_key_id, api_key_name";

    /// <summary>The sums as roll-ups were first built (migration 11 / 13); <see cref="SumColumns"/> adds what came later.</summary>
    private const string FirstSumColumns =
        "requests, errors, client_closed, prompt_tokens, completion_tokens, cost_nano_usd, latency_ms, ttft_count, ttft_ms";

    public const string SumColumns = FirstSumColumns + ", rejected";

    /// <summary>How many columns <see cref="KeyColumns"/> and <see cref="SumColumns"/> name together.</summary>
    public const int ColumnCount = 16;

    /// <summary>
    /// Adds the count of calls the router refused itself (status rejected, which no earlier log holds, so it starts at 0),
    /// the limit that refused one, and the id linking the attempts of one call (indexed only where set: calls with
    /// fallbacks): migration 12 on SQLite, 14 on PostgreSQL.
    /// </summary>
    public static string RejectedAndAttemptsMigration(string integer) => $"""
        ALTER TABLE invocation_rollups ADD COLUMN rejected {integer} NOT NULL DEFAULT 0;
        ALTER TABLE invocations ADD COLUMN refused_by TEXT;
        ALTER TABLE invocations ADD COLUMN call_id TEXT;
        CREATE INDEX ix_invocations_call ON invocations (call_id) WHERE call_id IS NOT NULL
        """;

    /// <summary>Adds a delta to its row of <paramref name="table"/>: the tail of an INSERT of <see cref="KeyColumns"/> and <see cref="SumColumns"/>.</summary>
    public static string OnConflictAdd(string table) =>
        $"ON CONFLICT ({KeyColumns}) DO UPDATE SET " +
        string.Join(", ", SumColumns.Split(", ").Select(c => $"{c} = {table}.{c} + excluded.{c}"));

    /// <summary>A roll-up table of <see cref="KeyColumns"/> and <paramref name="sums"/> (today's by default), keyed by the first.</summary>
    public static string CreateTable(string table, string integer, string tableOptions, string sums = SumColumns) => $"""
        CREATE TABLE {table} (
            bucket_level {integer} NOT NULL,
            bucket_ms {integer} NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            api_key_id TEXT NOT NULL,
            api_key_name TEXT NOT NULL,
            {string.Join(",\n    ", sums.Split(", ").Select(c => $"{c} {integer} NOT NULL"))},
            PRIMARY KEY ({KeyColumns})
        ){tableOptions}
        """;

    /// <summary>
    /// Creates the table and builds its rows from the invocations already logged (migration 11 on SQLite, 13 on PostgreSQL), given
    /// the store's integer type, its UTC month start of a time in Unix milliseconds, and what follows CREATE TABLE's
    /// column list.
    /// </summary>
    public static string Migration(string integer, Func<string, string> monthStart, string tableOptions = "") => $"""
        {CreateTable("invocation_rollups", integer, tableOptions, FirstSumColumns)};
        {string.Join(";\n", Enumerable.Range(0, InvocationRollups.Levels).Select(level => Backfill(level, Bucket(level, monthStart))))};
        CREATE INDEX ix_invocations_status ON invocations (status, id);
        CREATE INDEX ix_invocations_provider ON invocations (provider, id)
        """;

    private static string Bucket(int level, Func<string, string> monthStart)
    {
        if (level == InvocationRollups.Month)
        {
            return monthStart("created_at_ms");
        }
        var width = InvocationRollups.Width(level);
        var offset = level == InvocationRollups.Week ? InvocationRollups.MondayMs : 0;
        return string.Create(CultureInfo.InvariantCulture, $"((created_at_ms - {offset}) / {width}) * {width} + {offset}");
    }

    private static string Backfill(int level, string bucket) => $"""
            INSERT INTO invocation_rollups ({KeyColumns}, {FirstSumColumns})
            SELECT {level}, {bucket}, provider, model, COALESCE(api_key_id, ''), COALESCE(api_key_name, ''), COUNT(*),
                SUM(CASE WHEN status = '{InvocationStatusNames.ToName(InvocationStatus.Error)}' THEN 1 ELSE 0 END),
                SUM(CASE WHEN status = '{InvocationStatusNames.ToName(InvocationStatus.ClientClosed)}' THEN 1 ELSE 0 END),
                SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_nano_usd), SUM(latency_ms), COUNT(ttft_ms), COALESCE(SUM(ttft_ms), 0)
            FROM invocations
            GROUP BY {bucket}, provider, model, COALESCE(api_key_id, ''), COALESCE(api_key_name, '')
            """;
}
