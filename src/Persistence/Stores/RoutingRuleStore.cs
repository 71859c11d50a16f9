using LlmRouter.Abstractions.Catalog;
using LlmRouter.Abstractions.Routing;

namespace LlmRouter.Persistence.Stores;

/// <summary>Routing rules defined over REST, in the node's database; a deleted rule stays as a tombstone so the revision only grows.</summary>
public sealed class RoutingRuleStore(StoreDialect dialect) : IRoutingRuleStore
{
    private const string Table = "routing_rules";

    // A rule created again after a delete goes to the end of the creation order, as a new rule would.
    private const string Upsert = """
        INSERT INTO routing_rules (name, definition, version, deleted, created_seq, updated_at_ms)
        VALUES (@name, @json, 1, FALSE, (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM routing_rules), @now)
        ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, version = routing_rules.version + 1,
            created_seq = CASE WHEN routing_rules.deleted THEN excluded.created_seq ELSE routing_rules.created_seq END,
            deleted = FALSE, updated_at_ms = excluded.updated_at_ms
        RETURNING name, definition, version, updated_at_ms
        """;

    private readonly string _list =
        "SELECT name, definition, version, updated_at_ms FROM routing_rules WHERE deleted = FALSE ORDER BY created_seq, " + dialect.OrderKey("name");

    public ValueTask<IReadOnlyList<CatalogDocument>> ListAsync(CancellationToken cancellationToken = default) =>
        dialect.ReadAllAsync(_list, [], CatalogDocuments.Read, cancellationToken);

    public async ValueTask<(CatalogDocument Document, bool Created)> UpsertAsync(string name, string json, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        // No other writer of the rules runs beside this one: whether the rule is new, and the next place in the creation
        // order, are decided alone.
        await using var transaction = await dialect.BeginExclusiveAsync(connection, Table, cancellationToken).ConfigureAwait(false);
        bool created;
        await using (var check = connection.CreateCommand())
        {
            check.Transaction = transaction;
            check.CommandText = "SELECT deleted FROM routing_rules WHERE name = @name";
            var deleted = await check.Set("@name", name).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            created = deleted is null || Convert.ToBoolean(deleted, System.Globalization.CultureInfo.InvariantCulture);
        }
        CatalogDocument document;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = Upsert;
            command.Set("@name", name).Set("@json", json).Set("@now", now.ToUnixTimeMilliseconds());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            document = CatalogDocuments.Read(reader);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (document, created);
    }

    public async ValueTask<bool> DeleteAsync(string name, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await dialect.ExecuteAsync(
            "UPDATE routing_rules SET deleted = TRUE, version = version + 1, updated_at_ms = @now WHERE name = @name AND deleted = FALSE",
            [("@name", name), ("@now", now.ToUnixTimeMilliseconds())], cancellationToken).ConfigureAwait(false) > 0;

    public async ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default) =>
        CatalogDocuments.Revision(await dialect.ScalarAsync(
            "SELECT COUNT(*) + COALESCE(SUM(version), 0) FROM routing_rules", [], cancellationToken).ConfigureAwait(false));
}
