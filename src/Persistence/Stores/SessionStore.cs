using LlmRouter.Abstractions.Access;

namespace LlmRouter.Persistence.Stores;

/// <summary>Login sessions in the node's database, found by the hash of their token, so any node can serve any session.</summary>
public sealed class SessionStore(StoreDialect dialect) : ISessionStore
{
    private const string Columns = "id, token_hash, api_key_id, bound_model, created_at_ms, expires_at_ms";

    public async ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken = default) =>
        await dialect.ExecuteAsync($"INSERT INTO sessions ({Columns}) VALUES (@id, @hash, @key, @model, @created, @expires)",
        [
            ("@id", session.Id), ("@hash", session.TokenHash), ("@key", session.ApiKeyId), ("@model", session.BoundModel),
            ("@created", session.CreatedAt.ToUnixTimeMilliseconds()), ("@expires", session.ExpiresAt.ToUnixTimeMilliseconds()),
        ], cancellationToken).ConfigureAwait(false);

    public ValueTask<SessionRecord?> FindAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        dialect.ReadOneAsync($"SELECT {Columns} FROM sessions WHERE token_hash = @hash AND expires_at_ms > @now",
            [("@hash", tokenHash), ("@now", now.ToUnixTimeMilliseconds())], Read, cancellationToken);

    public ValueTask<SessionRecord?> BindModelAsync(string tokenHash, string modelId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        dialect.ReadOneAsync($"UPDATE sessions SET bound_model = @model WHERE token_hash = @hash AND expires_at_ms > @now RETURNING {Columns}",
            [("@model", modelId), ("@hash", tokenHash), ("@now", now.ToUnixTimeMilliseconds())], Read, cancellationToken);

    public async ValueTask<bool> RevokeAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        await DeleteAsync("DELETE FROM sessions WHERE token_hash = @value", tokenHash, cancellationToken).ConfigureAwait(false) > 0;

    public ValueTask<int> RevokeForKeyAsync(string apiKeyId, CancellationToken cancellationToken = default) =>
        DeleteAsync("DELETE FROM sessions WHERE api_key_id = @value", apiKeyId, cancellationToken);

    public ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        DeleteAsync("DELETE FROM sessions WHERE expires_at_ms <= @value", now.ToUnixTimeMilliseconds(), cancellationToken);

    private ValueTask<int> DeleteAsync(string sql, object value, CancellationToken cancellationToken) =>
        dialect.ExecuteAsync(sql, [("@value", value)], cancellationToken);

    private static SessionRecord Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        TokenHash = reader.GetString(1),
        ApiKeyId = reader.GetString(2),
        BoundModel = reader.IsDBNull(3) ? null : reader.GetString(3),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
    };
}
