using LlmRouter.Abstractions;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>Checks that the SQLite file answers a trivial query.</summary>
public sealed class SqliteStoreHealth(SqliteDatabase database) : IStoreHealth
{
    public string Kind => "sqlite";

    public async ValueTask<StoreHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return new StoreHealthReport(true);
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            return new StoreHealthReport(false, exception.Message);
        }
    }
}
