using LlmRouter.Abstractions.Access;

namespace LlmRouter.Persistence.Postgres;

/// <summary>Deployment-wide secrets in the cluster's PostgreSQL; the first node to ask decides the value for all.</summary>
public sealed class PostgresDeploymentSecretStore(PostgresDatabase database) : IDeploymentSecretStore
{
    public async ValueTask<string> GetOrAddAsync(string name, string candidate, CancellationToken cancellationToken = default)
    {
        // The no-op update makes RETURNING yield the row that won, whether it was just inserted or already there.
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO deployment_secrets AS s (name, value) VALUES (@name, @value)
            ON CONFLICT (name) DO UPDATE SET value = s.value
            RETURNING value
            """);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("value", candidate);
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
