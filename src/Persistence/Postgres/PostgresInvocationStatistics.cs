namespace LlmRouter.Persistence.Postgres;

/// <summary>Monitoring and cost aggregates from the PostgreSQL roll-ups (see <see cref="RollupStatistics"/>).</summary>
public sealed class PostgresInvocationStatistics(PostgresDatabase database) : RollupStatistics(database.Dialect);
