using LlmRouter.Abstractions.Catalog;
using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>Providers and models defined over REST, in the cluster's PostgreSQL (every node overlays the same ones).</summary>
public sealed class PostgresCatalogStore(PostgresDatabase database) : ICatalogStore
{
    public ValueTask<IReadOnlyList<CatalogDocument>> ListProvidersAsync(CancellationToken cancellationToken = default) =>
        ListAsync("SELECT name, definition, version, updated_at_ms FROM catalog_providers ORDER BY name COLLATE \"C\"", cancellationToken);

    public async ValueTask<CatalogDocument> UpsertProviderAsync(string name, string json, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO catalog_providers AS p (name, definition, version, updated_at_ms) VALUES (@key, @json, 1, @now)
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, version = p.version + 1, updated_at_ms = excluded.updated_at_ms
            RETURNING name, definition, version, updated_at_ms
            """);
        Bind(command, name, json, now);
        return (await ReadOneAsync(command, cancellationToken).ConfigureAwait(false))!;
    }

    public ValueTask<IReadOnlyList<CatalogDocument>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        ListAsync("SELECT id, definition, version, updated_at_ms FROM catalog_models ORDER BY updated_at_ms, id COLLATE \"C\"", cancellationToken);

    public async ValueTask<CatalogDocument?> GetModelAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand("SELECT id, definition, version, updated_at_ms FROM catalog_models WHERE id = @key");
        command.Parameters.AddWithValue("key", id);
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<CatalogDocument?> CreateModelAsync(string id, string json, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO catalog_models (id, definition, version, updated_at_ms) VALUES (@key, @json, 1, @now)
            ON CONFLICT (id) DO NOTHING
            RETURNING id, definition, version, updated_at_ms
            """);
        Bind(command, id, json, now);
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<CatalogDocument?> UpdateModelAsync(string id, string json, long expectedVersion, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand("""
            UPDATE catalog_models SET definition = @json, version = version + 1, updated_at_ms = @now
            WHERE id = @key AND version = @version
            RETURNING id, definition, version, updated_at_ms
            """);
        Bind(command, id, json, now);
        command.Parameters.AddWithValue("version", expectedVersion);
        return await ReadOneAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default)
    {
        // Rows are never deleted and every change raises a version, so count + sum of versions only grows.
        await using var command = database.DataSource.CreateCommand("""
            SELECT (SELECT count(*) + coalesce(sum(version), 0) FROM catalog_providers)::bigint
                 + (SELECT count(*) + coalesce(sum(version), 0) FROM catalog_models)::bigint
            """);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async ValueTask<IReadOnlyList<CatalogDocument>> ListAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        var documents = new List<CatalogDocument>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            documents.Add(Read(reader));
        }
        return documents;
    }

    private static async ValueTask<CatalogDocument?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static CatalogDocument Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));

    private static void Bind(NpgsqlCommand command, string key, string json, DateTimeOffset now)
    {
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("json", json);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
    }
}
