using System.Globalization;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>
/// Admission left SQL for grains: a new database never holds the limit tables (and PostgreSQL's functions), and one
/// made before loses them. Each store supplies a migrated database.
/// </summary>
public abstract class LimitTableDropConformance(SchemaTestDatabase database) : SchemaConformance(database)
{
    private const string LimitTables = "'limit_windows', 'limit_budgets', 'limit_reservations'";

    /// <summary>The step that drops the limit tables.</summary>
    protected abstract int DropStep { get; }

    /// <summary>What steps 3 and 8 left in a database made before admission moved into grains.</summary>
    protected abstract string OldLimitSchema { get; }

    /// <summary>How many of the SQL admission's functions <see cref="OldLimitSchema"/> makes.</summary>
    protected abstract long OldFunctionCount { get; }

    /// <summary>Counts the tables named in a SQL list (<c>'a', 'b'</c>) that exist.</summary>
    protected abstract string CountTables(string names);

    /// <summary>Counts the SQL admission's functions that exist; null on SQLite, which never had any.</summary>
    protected abstract string? CountLimitFunctions { get; }

    [StoreFact]
    public async Task A_new_database_holds_no_limit_tables_or_functions()
    {
        var dialect = Dialect;

        Assert.Equal(0L, await SchemaSql.ScalarAsync(dialect, CountTables(LimitTables)));
        Assert.Equal(0L, await CountFunctionsAsync(dialect));
    }

    [StoreFact]
    public async Task An_old_database_loses_its_limit_tables_and_functions()
    {
        var dialect = Dialect;
        await SchemaSql.ExecuteAsync(dialect, OldLimitSchema);
        await SchemaSql.ExecuteAsync(dialect, "DELETE FROM schema_migrations WHERE version = " + DropStep.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(3L, await SchemaSql.ScalarAsync(dialect, CountTables(LimitTables)));
        Assert.Equal(OldFunctionCount, await CountFunctionsAsync(dialect));

        await MigrateAsync();

        Assert.Equal(0L, await SchemaSql.ScalarAsync(dialect, CountTables(LimitTables)));
        Assert.Equal(0L, await CountFunctionsAsync(dialect));
        Assert.Equal(1L, await SchemaSql.ScalarAsync(dialect, "SELECT count(*) FROM schema_migrations WHERE version = " + DropStep.ToString(CultureInfo.InvariantCulture)));
    }

    private async Task<long> CountFunctionsAsync(StoreDialect dialect) =>
        CountLimitFunctions is { } sql ? await SchemaSql.ScalarAsync(dialect, sql) : 0;
}
