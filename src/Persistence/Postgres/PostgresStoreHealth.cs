using LlmRouter.Abstractions;
using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>Checks that the shared PostgreSQL answers a trivial query.</summary>
public sealed class PostgresStoreHealth(PostgresDatabase database) : IStoreHealth
{
    public string Kind => "postgresql";

    public async ValueTask<StoreHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = database.DataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return new StoreHealthReport(true);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new StoreHealthReport(false, exception.Message);
        }
    }
}
