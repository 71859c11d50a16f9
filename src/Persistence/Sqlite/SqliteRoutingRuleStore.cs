using LlmRouter.Abstractions.Catalog;
using LlmRouter.Abstractions.Routing;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>Routing rules defined over REST, in the embedded SQLite file; a deleted rule stays as a tombstone so the revision only grows.</summary>
public sealed class SqliteRoutingRuleStore(SqliteDatabase database) : IRoutingRuleStore
{
    public async ValueTask<IReadOnlyList<CatalogDocument>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, definition, version, updated_at_ms FROM routing_rules WHERE deleted = 0 ORDER BY created_seq, name";
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
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Serializable makes Microsoft.Data.Sqlite begin IMMEDIATE: whether the rule is new is decided under the write lock.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        bool created;
        await using (var check = connection.CreateCommand())
        {
            check.Transaction = transaction;
            check.CommandText = "SELECT deleted FROM routing_rules WHERE name = $name";
            check.Parameters.AddWithValue("$name", name);
            created = await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long deleted || deleted == 1;
        }
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // A rule created again after a delete goes to the end of the creation order, as a new rule would.
        command.CommandText = """
            INSERT INTO routing_rules (name, definition, version, deleted, created_seq, updated_at_ms)
            VALUES ($name, $json, 1, 0, (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM routing_rules), $now)
            ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, version = routing_rules.version + 1,
                created_seq = CASE WHEN routing_rules.deleted = 1 THEN excluded.created_seq ELSE routing_rules.created_seq END,
                deleted = 0, updated_at_ms = excluded.updated_at_ms
            RETURNING name, definition, version, updated_at_ms
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$json", json);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        CatalogDocument document;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            document = Read(reader);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (document, created);
    }

    public async ValueTask<bool> DeleteAsync(string name, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE routing_rules SET deleted = 1, version = version + 1, updated_at_ms = $now WHERE name = $name AND deleted = 0";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // Rows are never removed and every change raises a version, so count + sum of versions only grows.
        command.CommandText = "SELECT COUNT(*) + COALESCE(SUM(version), 0) FROM routing_rules";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static CatalogDocument Read(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
}
