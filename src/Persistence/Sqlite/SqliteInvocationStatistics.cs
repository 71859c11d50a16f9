using LlmRouter.Persistence.Rollups;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>Monitoring and cost aggregates from the SQLite file's roll-ups (see <see cref="RollupStatistics"/>).</summary>
public sealed class SqliteInvocationStatistics(SqliteDatabase database) : RollupStatistics(new StatisticsDialect
{
    OpenAsync = async cancellationToken => await database.OpenAsync(cancellationToken).ConfigureAwait(false),
    ParameterPrefix = "$",
    Sum = column => $"SUM({column})",
    MonthStart = MonthStart,
    OrderKey = column => column,
})
{
    /// <summary>The UTC start of the month holding a time in Unix milliseconds, in Unix milliseconds.</summary>
    internal static string MonthStart(string column) => $"CAST(strftime('%s', {column} / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000";
}
