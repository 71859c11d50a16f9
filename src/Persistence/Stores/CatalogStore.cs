using LlmRouter.Abstractions.Catalog;

namespace LlmRouter.Persistence.Stores;

/// <summary>Providers and models defined over REST, in the node's database (in a cluster, every node overlays the same ones).</summary>
public sealed class CatalogStore(StoreDialect dialect) : ICatalogStore
{
    private readonly string _listProviders =
        "SELECT name, definition, version, updated_at_ms FROM catalog_providers ORDER BY " + dialect.OrderKey("name");

    private readonly string _listModels =
        "SELECT id, definition, version, updated_at_ms FROM catalog_models ORDER BY updated_at_ms, " + dialect.OrderKey("id");

    public ValueTask<IReadOnlyList<CatalogDocument>> ListProvidersAsync(CancellationToken cancellationToken = default) =>
        dialect.ReadAllAsync(_listProviders, [], CatalogDocuments.Read, cancellationToken);

    public async ValueTask<CatalogDocument> UpsertProviderAsync(string name, string json, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        const string sql = """
            INSERT INTO catalog_providers (name, definition, version, updated_at_ms) VALUES (@key, @json, 1, @now)
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, version = catalog_providers.version + 1,
                updated_at_ms = excluded.updated_at_ms
            RETURNING name, definition, version, updated_at_ms
            """;
        return (await dialect.ReadOneAsync(sql, Document(name, json, now), CatalogDocuments.Read, cancellationToken).ConfigureAwait(false))!;
    }

    public ValueTask<IReadOnlyList<CatalogDocument>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        dialect.ReadAllAsync(_listModels, [], CatalogDocuments.Read, cancellationToken);

    public ValueTask<CatalogDocument?> GetModelAsync(string id, CancellationToken cancellationToken = default) =>
        dialect.ReadOneAsync("SELECT id, definition, version, updated_at_ms FROM catalog_models WHERE id = @key", [("@key", id)],
            CatalogDocuments.Read, cancellationToken);

    public ValueTask<CatalogDocument?> CreateModelAsync(string id, string json, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        const string sql = """
            INSERT INTO catalog_models (id, definition, version, updated_at_ms) VALUES (@key, @json, 1, @now)
            ON CONFLICT (id) DO NOTHING
            RETURNING id, definition, version, updated_at_ms
            """;
        return dialect.ReadOneAsync(sql, Document(id, json, now), CatalogDocuments.Read, cancellationToken);
    }

    public ValueTask<CatalogDocument?> UpdateModelAsync(string id, string json, long expectedVersion, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        const string sql = """
            UPDATE catalog_models SET definition = @json, version = version + 1, updated_at_ms = @now
            WHERE id = @key AND version = @version
            RETURNING id, definition, version, updated_at_ms
            """;
        return dialect.ReadOneAsync(sql, [.. Document(id, json, now), ("@version", expectedVersion)], CatalogDocuments.Read, cancellationToken);
    }

    public async ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT (SELECT COUNT(*) + COALESCE(SUM(version), 0) FROM catalog_providers)
                 + (SELECT COUNT(*) + COALESCE(SUM(version), 0) FROM catalog_models)
            """;
        return CatalogDocuments.Revision(await dialect.ScalarAsync(sql, [], cancellationToken).ConfigureAwait(false));
    }

    private static (string, object?)[] Document(string key, string json, DateTimeOffset now) =>
        [("@key", key), ("@json", json), ("@now", now.ToUnixTimeMilliseconds())];
}
