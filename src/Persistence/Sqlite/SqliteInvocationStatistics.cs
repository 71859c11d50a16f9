namespace LlmRouter.Persistence.Sqlite;

/// <summary>Monitoring and cost aggregates from the SQLite file's roll-ups (see <see cref="RollupStatistics"/>).</summary>
public sealed class SqliteInvocationStatistics(SqliteDatabase database) : RollupStatistics(database.Dialect);
