using LlmRouter.Abstractions.Access;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>Deployment-wide secrets in the embedded SQLite file; the first node to ask decides the value.</summary>
public sealed class SqliteDeploymentSecretStore(SqliteDatabase database) : IDeploymentSecretStore
{
    public async ValueTask<string> GetOrAddAsync(string name, string candidate, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // The no-op update makes RETURNING yield the row that won, whether it was just inserted or already there.
        command.CommandText = """
            INSERT INTO deployment_secrets (name, value) VALUES ($name, $value)
            ON CONFLICT (name) DO UPDATE SET value = deployment_secrets.value
            RETURNING value
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", candidate);
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
