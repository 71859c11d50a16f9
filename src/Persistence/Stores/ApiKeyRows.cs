using LlmRouter.Abstractions.Access;

namespace LlmRouter.Persistence.Stores;

/// <summary>The api_keys query and row mapping of the key store (SQLite and PostgreSQL have the same columns).</summary>
internal static class ApiKeyRows
{
    public const string Select = """
        SELECT k.id, k.name, k.secret_hash, k.role, k.is_active, k.allowed_models, k.allowed_providers, k.parameter_limits,
               k.rate_limit, k.budget, k.pipeline, k.created_at_ms, k.updated_at_ms, u.last_used_at_ms
        FROM api_keys k LEFT JOIN api_key_usage u ON u.id = k.id
        """;

    /// <summary>One row of <see cref="Select"/>; is_active is a boolean in PostgreSQL and an integer in SQLite.</summary>
    public static ApiKeyRecord Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        SecretHash = r.GetString(2),
        Role = r.GetString(3),
        IsActive = Convert.ToBoolean(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture),
        AllowedModels = AccessJson.ReadList(Text(r, 5)),
        AllowedProviders = AccessJson.ReadList(Text(r, 6)),
        ParameterLimits = AccessJson.ReadLimits(Text(r, 7)),
        RateLimit = AccessJson.ReadRateLimit(Text(r, 8)),
        Budget = AccessJson.ReadBudget(Text(r, 9)),
        Pipeline = Text(r, 10),
        Source = ApiKeySources.Store,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)),
        LastUsedAt = r.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)),
    };

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
