using LlmRouter.Abstractions.Responses;

namespace LlmRouter.Persistence.Stores;

/// <summary>Kept Responses API answers in the node's database, so a follow-up on any node can continue one.</summary>
public sealed class ResponseStore(StoreDialect dialect) : IResponseStore
{
    private const string Columns = "id, api_key_id, created_at_ms, input, response";

    public async ValueTask SaveAsync(StoredResponse response, CancellationToken cancellationToken = default) =>
        await dialect.ExecuteAsync($"INSERT INTO responses ({Columns}) VALUES (@id, @key, @created, @input, @response)",
        [
            ("@id", response.Id), ("@key", response.ApiKeyId), ("@created", response.CreatedAt.ToUnixTimeMilliseconds()),
            ("@input", response.Input), ("@response", response.Response),
        ], cancellationToken).ConfigureAwait(false);

    public ValueTask<StoredResponse?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        dialect.ReadOneAsync($"SELECT {Columns} FROM responses WHERE id = @id", [("@id", id)], Read, cancellationToken);

    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        await dialect.ExecuteAsync("DELETE FROM responses WHERE id = @id", [("@id", id)], cancellationToken).ConfigureAwait(false) > 0;

    public ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default) =>
        dialect.ExecuteAsync("""
            DELETE FROM responses WHERE id IN (
                SELECT id FROM responses WHERE created_at_ms < @cutoff ORDER BY created_at_ms LIMIT @limit)
            """, [("@cutoff", cutoff.ToUnixTimeMilliseconds()), ("@limit", limit)], cancellationToken);

    private static StoredResponse Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ApiKeyId = reader.IsDBNull(1) ? null : reader.GetString(1),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
        Input = reader.GetString(3),
        Response = reader.GetString(4),
    };
}
