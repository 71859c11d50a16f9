using LlmRouter.Abstractions.Access;

namespace LlmRouter.Persistence.Stores;

/// <summary>Deployment-wide secrets in the node's database; the first node to ask decides the value for all.</summary>
public sealed class DeploymentSecretStore(StoreDialect dialect) : IDeploymentSecretStore
{
    public async ValueTask<string> GetOrAddAsync(string name, string candidate, CancellationToken cancellationToken = default)
    {
        // The no-op update makes RETURNING yield the row that won, whether it was just inserted or already there.
        const string sql = """
            INSERT INTO deployment_secrets (name, value) VALUES (@name, @value)
            ON CONFLICT (name) DO UPDATE SET value = deployment_secrets.value
            RETURNING value
            """;
        return (string)(await dialect.ScalarAsync(sql, [("@name", name), ("@value", candidate)], cancellationToken).ConfigureAwait(false))!;
    }
}
