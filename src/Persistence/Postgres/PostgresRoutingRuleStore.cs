using LlmRouter.Abstractions.Catalog;
using LlmRouter.Abstractions.Routing;
using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>Routing rules defined over REST, in the cluster's PostgreSQL; a deleted rule stays as a tombstone so the revision only grows.</summary>
public sealed class PostgresRoutingRuleStore(PostgresDatabase database) : IRoutingRuleStore
{
    public async ValueTask<IReadOnlyList<CatalogDocument>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT name, definition, version, updated_at_ms FROM routing_rules WHERE NOT deleted ORDER BY created_seq, name COLLATE \"C\"");
        var documents = new List<CatalogDocument>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            documents.Add(Read(reader));
        }
        return documents;
    }

    public async ValueTask<(CatalogDocument Document, bool Created)> UpsertAsync(string name, string json, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        // One statement: the old row (if any) is read under the row lock the upsert takes; a rule created again after
        // a delete goes to the end of the creation order, as a new rule would.
        await using var command = database.DataSource.CreateCommand("""
            WITH old AS (SELECT deleted FROM routing_rules WHERE name = @name)
            INSERT INTO routing_rules AS r (name, definition, version, deleted, created_seq, updated_at_ms)
            VALUES (@name, @json, 1, FALSE, nextval('routing_rules_created_seq'), @now)
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, version = r.version + 1,
                created_seq = CASE WHEN r.deleted THEN excluded.created_seq ELSE r.created_seq END,
                deleted = FALSE, updated_at_ms = excluded.updated_at_ms
            RETURNING name, definition, version, updated_at_ms, coalesce((SELECT deleted FROM old), TRUE)
            """);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("json", json);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (Read(reader), reader.GetBoolean(4));
    }

    public async ValueTask<bool> DeleteAsync(string name, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand(
            "UPDATE routing_rules SET deleted = TRUE, version = version + 1, updated_at_ms = @now WHERE name = @name AND NOT deleted");
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default)
    {
        // Rows are never removed and every change raises a version, so count + sum of versions only grows.
        await using var command = database.DataSource.CreateCommand("SELECT (count(*) + coalesce(sum(version), 0))::bigint FROM routing_rules");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static CatalogDocument Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
}
