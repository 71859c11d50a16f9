using LlmRouter.Abstractions.Access;
using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>Login sessions in the cluster's PostgreSQL, found by the hash of their token, so any node can serve any session.</summary>
public sealed class PostgresSessionStore(PostgresDatabase database) : ISessionStore
{
    private const string Columns = "id, token_hash, api_key_id, bound_model, created_at_ms, expires_at_ms";

    public async ValueTask CreateAsync(SessionRecord session, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand(
            $"INSERT INTO sessions ({Columns}) VALUES (@id, @hash, @key, @model, @created, @expires)");
        command.Parameters.AddWithValue("id", session.Id);
        command.Parameters.AddWithValue("hash", session.TokenHash);
        command.Parameters.AddWithValue("key", session.ApiKeyId);
        command.Parameters.AddWithValue("model", (object?)session.BoundModel ?? DBNull.Value);
        command.Parameters.AddWithValue("created", session.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("expires", session.ExpiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<SessionRecord?> FindAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM sessions WHERE token_hash = @hash AND expires_at_ms > @now");
        command.Parameters.AddWithValue("hash", tokenHash);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<SessionRecord?> BindModelAsync(string tokenHash, string modelId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand(
            $"UPDATE sessions SET bound_model = @model WHERE token_hash = @hash AND expires_at_ms > @now RETURNING {Columns}");
        command.Parameters.AddWithValue("model", modelId);
        command.Parameters.AddWithValue("hash", tokenHash);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RevokeAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        await DeleteAsync("DELETE FROM sessions WHERE token_hash = @value", tokenHash, cancellationToken).ConfigureAwait(false) > 0;

    public ValueTask<int> RevokeForKeyAsync(string apiKeyId, CancellationToken cancellationToken = default) =>
        DeleteAsync("DELETE FROM sessions WHERE api_key_id = @value", apiKeyId, cancellationToken);

    public ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        DeleteAsync("DELETE FROM sessions WHERE expires_at_ms <= @value", now.ToUnixTimeMilliseconds(), cancellationToken);

    private async ValueTask<int> DeleteAsync(string sql, object value, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("value", value);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<SessionRecord?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new SessionRecord
        {
            Id = reader.GetString(0),
            TokenHash = reader.GetString(1),
            ApiKeyId = reader.GetString(2),
            BoundModel = reader.IsDBNull(3) ? null : reader.GetString(3),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        };
    }
}
