using LlmRouter.Persistence.Rollups;

namespace LlmRouter.Persistence.Postgres;

/// <summary>Monitoring and cost aggregates from the PostgreSQL roll-ups (see <see cref="RollupStatistics"/>).</summary>
public sealed class PostgresInvocationStatistics(PostgresDatabase database) : RollupStatistics(new StatisticsDialect
{
    OpenAsync = async cancellationToken => await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false),
    ParameterPrefix = "@",
    Sum = column => $"sum({column})::bigint",
    MonthStart = MonthStart,
    // SQLite sorts text by bytes and NULLs first; the same order here keeps both stores' answers identical.
    OrderKey = column => $"{column} COLLATE \"C\" NULLS FIRST",
})
{
    /// <summary>The UTC start of the month holding a time in Unix milliseconds, in Unix milliseconds.</summary>
    internal static string MonthStart(string column) =>
        $"(extract(epoch FROM date_trunc('month', to_timestamp({column} / 1000.0) AT TIME ZONE 'UTC')) * 1000)::bigint";
}
