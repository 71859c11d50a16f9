namespace LlmRouter.Persistence.Rollups;

/// <summary>
/// One of the three roll-up tables, alike in columns: <see cref="Full"/> per provider, model and API key; <see cref="Models"/>
/// summed over keys (per provider and model); <see cref="Keys"/> summed over models (per key). A column a slice sums over
/// holds ''. An answer reads the narrowest slice that has its groups and filters, so its rows per bucket are bounded by
/// the models or keys there are, not by the key and model pairs that had calls: a by-model series reads a dozen rows an
/// hour however many keys call each model.
/// </summary>
public sealed class RollupSlice
{
    public static readonly RollupSlice Full = new("invocation_rollups", models: true, keys: true);

    public static readonly RollupSlice Models = new("invocation_model_rollups", models: true, keys: false);

    public static readonly RollupSlice Keys = new("invocation_key_rollups", models: false, keys: true);

    public static readonly IReadOnlyList<RollupSlice> All = [Full, Models, Keys];

    private readonly bool _models;
    private readonly bool _keys;

    private RollupSlice(string table, bool models, bool keys)
    {
        Table = table;
        _models = models;
        _keys = keys;
    }

    public string Table { get; }

    /// <summary>The narrowest slice with provider and model (<paramref name="models"/>) and/or key (<paramref name="keys"/>) columns.</summary>
    public static RollupSlice For(bool models, bool keys) => keys ? models ? Full : Keys : Models;

    /// <summary>The row of this slice that <paramref name="key"/> (a <see cref="Full"/> row) adds to.</summary>
    private RollupKey Project(RollupKey key) => key with
    {
        Provider = _models ? key.Provider : "",
        Model = _models ? key.Model : "",
        ApiKeyId = _keys ? key.ApiKeyId : "",
        ApiKeyName = _keys ? key.ApiKeyName : "",
    };

    /// <summary>What a batch adds to this slice's rows, from what it adds to <see cref="Full"/>'s.</summary>
    public IReadOnlyDictionary<RollupKey, UsageAggregate> Deltas(IReadOnlyDictionary<RollupKey, UsageAggregate> full)
    {
        if (this == Full)
        {
            return full;
        }
        var deltas = new Dictionary<RollupKey, UsageAggregate>();
        foreach (var (key, sum) in full)
        {
            var projected = Project(key);
            deltas[projected] = deltas.TryGetValue(projected, out var total) ? total + sum : sum;
        }
        return deltas;
    }

    /// <summary>
    /// How a read of this slice names the provider, model and key columns: '' for the provider and model it sums over, NULL
    /// for the key it sums over and for no key.
    /// </summary>
    public string GroupColumns =>
        (_models ? "provider, model" : "'' AS provider, '' AS model") + ", " +
        (_keys ? "NULLIF(api_key_id, '') AS api_key_id, NULLIF(api_key_name, '') AS api_key_name" : "CAST(NULL AS TEXT) AS api_key_id, CAST(NULL AS TEXT) AS api_key_name");

    /// <summary>
    /// Creates a summed slice and builds it from <see cref="Full"/> (which holds every call ever logged, retention or not),
    /// given the store's integer type and what follows CREATE TABLE's column list. Rows go in in key order, so a range of
    /// buckets is stored together.
    /// </summary>
    public string Migration(string integer, string tableOptions) => $"""
        {RollupSchema.CreateTable(Table, integer, tableOptions)};
        {Backfill}
        """;

    /// <summary>
    /// The PostgreSQL form of <see cref="Migration"/>: a partition per level. A heap keeps rows in the order they were
    /// written, and the minute rows written between them would leave each hour, day, week or month row on a page of its
    /// own (a 12-week series by key read 931 pages for 918 rows at 10M calls); apart, the coarse levels stay a few
    /// small tables, and a level's rows are written in time order. The backfill ends with ANALYZE, so the planner knows them at once.
    /// </summary>
    public string PartitionedMigration(string integer) => $"""
        {RollupSchema.CreateTable(Table, integer, " PARTITION BY LIST (bucket_level)")};
        {string.Join(";\n", Enumerable.Range(0, InvocationRollups.Levels).Select(level =>
            $"CREATE TABLE {Table}_{level} PARTITION OF {Table} FOR VALUES IN ({level})"))};
        {Backfill};
        ANALYZE {Table}
        """;

    private string Backfill
    {
        get
        {
            var keys = $"bucket_level, bucket_ms{(_models ? ", provider, model" : "")}{(_keys ? ", api_key_id, api_key_name" : "")}";
            return $"""
                INSERT INTO {Table} ({RollupSchema.KeyColumns}, {RollupSchema.SumColumns})
                SELECT bucket_level, bucket_ms, {(_models ? "provider, model" : "'', ''")}, {(_keys ? "api_key_id, api_key_name" : "'', ''")},
                    {string.Join(", ", RollupSchema.SumColumns.Split(", ").Select(c => $"SUM({c})"))}
                FROM invocation_rollups
                GROUP BY {keys}
                ORDER BY {keys}
                """;
        }
    }
}
