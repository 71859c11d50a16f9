using LlmRouter.Abstractions.Access;

namespace LlmRouter.Persistence.Stores;

/// <summary>API keys created over REST or the CLI, in the node's database; only secret hashes are kept.</summary>
public sealed class ApiKeyStore(StoreDialect dialect) : IApiKeyStore
{
    private const string Select = ApiKeyRows.Select;

    private readonly string _list = Select + " ORDER BY k.created_at_ms, " + dialect.OrderKey("k.id");

    // Last-used times only move forward, whichever node's touch arrives last.
    private readonly string _touch = $"""
        INSERT INTO api_key_usage (id, last_used_at_ms) VALUES (@id, @at)
        ON CONFLICT (id) DO UPDATE SET last_used_at_ms = {dialect.Greatest("api_key_usage.last_used_at_ms", "excluded.last_used_at_ms")}
        """;

    public ValueTask<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        dialect.ReadOneAsync(Select + " WHERE k.id = @value", [("@value", id)], ApiKeyRows.Read, cancellationToken);

    public ValueTask<ApiKeyRecord?> FindBySecretHashAsync(string secretHash, CancellationToken cancellationToken = default) =>
        dialect.ReadOneAsync(Select + " WHERE k.secret_hash = @value", [("@value", secretHash)], ApiKeyRows.Read, cancellationToken);

    public ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        dialect.ReadAllAsync(_list, [], ApiKeyRows.Read, cancellationToken);

    public async ValueTask<bool> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        const string sql = """
            INSERT INTO api_keys (id, name, secret_hash, role, is_active, allowed_models, allowed_providers, parameter_limits,
                rate_limit, budget, pipeline, created_at_ms, updated_at_ms)
            VALUES (@id, @name, @hash, @role, @active, @models, @providers, @limits, @rate, @budget, @pipeline, @created, @created)
            ON CONFLICT DO NOTHING
            """;
        var hash = key.SecretHash ?? throw new ArgumentException("a stored key needs its secret hash", nameof(key));
        return await dialect.ExecuteAsync(sql,
        [
            ("@id", key.Id), ("@name", key.Name), ("@hash", hash), ("@role", key.Role), ("@active", key.IsActive),
            ("@models", AccessJson.WriteList(key.AllowedModels)), ("@providers", AccessJson.WriteList(key.AllowedProviders)),
            ("@limits", AccessJson.WriteLimits(key.ParameterLimits)), ("@rate", AccessJson.WriteRateLimit(key.RateLimit)),
            ("@budget", AccessJson.WriteBudget(key.Budget)), ("@pipeline", key.Pipeline),
            ("@created", (key.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds()),
        ], cancellationToken).ConfigureAwait(false) == 1;
    }

    public ValueTask<ApiKeyRecord?> UpdateAsync(string id, ApiKeyChanges changes, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var columns = new List<(string Column, object? Value)>();
        if (changes.Name is { } name)
        {
            columns.Add(("name", name.Value));
        }
        if (changes.Role is { } role)
        {
            columns.Add(("role", role.Value));
        }
        if (changes.IsActive is { } active)
        {
            columns.Add(("is_active", active.Value));
        }
        if (changes.AllowedModels is { } models)
        {
            columns.Add(("allowed_models", AccessJson.WriteList(models.Value)));
        }
        if (changes.AllowedProviders is { } providers)
        {
            columns.Add(("allowed_providers", AccessJson.WriteList(providers.Value)));
        }
        if (changes.ParameterLimits is { } limits)
        {
            columns.Add(("parameter_limits", AccessJson.WriteLimits(limits.Value)));
        }
        if (changes.RateLimit is { } rate)
        {
            columns.Add(("rate_limit", AccessJson.WriteRateLimit(rate.Value)));
        }
        if (changes.Budget is { } budget)
        {
            columns.Add(("budget", AccessJson.WriteBudget(budget.Value)));
        }
        if (changes.Pipeline is { } pipeline)
        {
            columns.Add(("pipeline", pipeline.Value));
        }
        // Column names are the fixed ones above; every value is a parameter named after its column.
        var set = string.Concat(columns.Select(c => $", {c.Column} = @{c.Column}"));
        // One statement: the update and the read-back cannot interleave with another writer.
        var sql = $"""
            UPDATE api_keys SET updated_at_ms = @now{set} WHERE id = @id
            RETURNING id, name, secret_hash, role, is_active, allowed_models, allowed_providers, parameter_limits, rate_limit, budget,
                pipeline, created_at_ms, updated_at_ms, (SELECT last_used_at_ms FROM api_key_usage WHERE api_key_usage.id = api_keys.id)
            """;
        var parameters = columns.Select(c => ("@" + c.Column, c.Value)).Append(("@now", now.ToUnixTimeMilliseconds())).Append(("@id", id));
        return dialect.ReadOneAsync(sql, parameters, ApiKeyRows.Read, cancellationToken);
    }

    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        await dialect.ExecuteAsync("DELETE FROM api_keys WHERE id = @id", [("@id", id)], cancellationToken).ConfigureAwait(false) == 1;

    public async ValueTask TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken = default)
    {
        await using var write = await dialect.BeginFrequentWriteAsync(cancellationToken).ConfigureAwait(false);
        await write.Command(_touch).Set("@id", id).Set("@at", usedAt.ToUnixTimeMilliseconds())
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LastUsedAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        }
        var parameters = ids.Select((id, i) => ("@p" + i, (object?)id)).ToList();
        var sql = $"SELECT id, last_used_at_ms FROM api_key_usage WHERE id IN ({string.Join(", ", parameters.Select(p => p.Item1))})";
        var rows = await dialect.ReadAllAsync(sql, parameters,
            reader => (Id: reader.GetString(0), At: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => r.At, StringComparer.Ordinal);
    }
}
