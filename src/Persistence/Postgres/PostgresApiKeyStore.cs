using System.Text;
using LlmRouter.Abstractions.Access;
using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>API keys created over REST or the CLI, in the cluster's PostgreSQL; only secret hashes are kept.</summary>
public sealed class PostgresApiKeyStore(PostgresDatabase database) : IApiKeyStore
{
    private const string Select = ApiKeyRows.Select;

    public ValueTask<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        SingleAsync(Select + " WHERE k.id = @value", id, cancellationToken);

    public ValueTask<ApiKeyRecord?> FindBySecretHashAsync(string secretHash, CancellationToken cancellationToken = default) =>
        SingleAsync(Select + " WHERE k.secret_hash = @value", secretHash, cancellationToken);

    public async ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand(Select + " ORDER BY k.created_at_ms, k.id COLLATE \"C\"");
        var keys = new List<ApiKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ApiKeyRows.Read(reader));
        }
        return keys;
    }

    public async ValueTask<bool> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO api_keys (id, name, secret_hash, role, is_active, allowed_models, allowed_providers, parameter_limits,
                rate_limit, budget, pipeline, created_at_ms, updated_at_ms)
            VALUES (@id, @name, @hash, @role, @active, @models, @providers, @limits, @rate, @budget, @pipeline, @created, @created)
            ON CONFLICT DO NOTHING
            """);
        Add(command, "id", key.Id);
        Add(command, "name", key.Name);
        Add(command, "hash", key.SecretHash ?? throw new ArgumentException("a stored key needs its secret hash", nameof(key)));
        Add(command, "role", key.Role);
        Add(command, "active", key.IsActive);
        Add(command, "models", AccessJson.WriteList(key.AllowedModels));
        Add(command, "providers", AccessJson.WriteList(key.AllowedProviders));
        Add(command, "limits", AccessJson.WriteLimits(key.ParameterLimits));
        Add(command, "rate", AccessJson.WriteRateLimit(key.RateLimit));
        Add(command, "budget", AccessJson.WriteBudget(key.Budget));
        Add(command, "pipeline", key.Pipeline);
        Add(command, "created", (key.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<ApiKeyRecord?> UpdateAsync(string id, ApiKeyChanges changes, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand();
        var set = new StringBuilder("updated_at_ms = @now");
        void Set(string column, object? value)
        {
            set.Append(", ").Append(column).Append(" = @").Append(column);
            Add(command, column, value);
        }
        if (changes.Name is { } name)
        {
            Set("name", name.Value);
        }
        if (changes.Role is { } role)
        {
            Set("role", role.Value);
        }
        if (changes.IsActive is { } active)
        {
            Set("is_active", active.Value);
        }
        if (changes.AllowedModels is { } models)
        {
            Set("allowed_models", AccessJson.WriteList(models.Value));
        }
        if (changes.AllowedProviders is { } providers)
        {
            Set("allowed_providers", AccessJson.WriteList(providers.Value));
        }
        if (changes.ParameterLimits is { } limits)
        {
            Set("parameter_limits", AccessJson.WriteLimits(limits.Value));
        }
        if (changes.RateLimit is { } rate)
        {
            Set("rate_limit", AccessJson.WriteRateLimit(rate.Value));
        }
        if (changes.Budget is { } budget)
        {
            Set("budget", AccessJson.WriteBudget(budget.Value));
        }
        if (changes.Pipeline is { } pipeline)
        {
            Set("pipeline", pipeline.Value);
        }
        Add(command, "now", now.ToUnixTimeMilliseconds());
        Add(command, "id", id);
        // One statement: the update and the read-back cannot interleave with another writer.
        command.CommandText = $"""
            UPDATE api_keys SET {set} WHERE id = @id
            RETURNING id, name, secret_hash, role, is_active, allowed_models, allowed_providers, parameter_limits, rate_limit, budget,
                pipeline, created_at_ms, updated_at_ms, (SELECT last_used_at_ms FROM api_key_usage WHERE api_key_usage.id = api_keys.id)
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ApiKeyRows.Read(reader) : null;
    }

    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM api_keys WHERE id = @id");
        Add(command, "id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO api_key_usage AS u (id, last_used_at_ms) VALUES (@id, @at)
            ON CONFLICT (id) DO UPDATE SET last_used_at_ms = greatest(u.last_used_at_ms, excluded.last_used_at_ms)
            """);
        Add(command, "id", id);
        Add(command, "at", usedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LastUsedAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }
        await using var command = database.DataSource.CreateCommand("SELECT id, last_used_at_ms FROM api_key_usage WHERE id = ANY (@ids)");
        command.Parameters.Add(new NpgsqlParameter<string[]>("ids", ids.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        }
        return result;
    }

    private async ValueTask<ApiKeyRecord?> SingleAsync(string sql, string value, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        Add(command, "value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ApiKeyRows.Read(reader) : null;
    }

    private static void Add(NpgsqlCommand command, string name, object? value) =>
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
}
