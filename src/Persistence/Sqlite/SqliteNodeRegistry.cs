using LlmRouter.Abstractions.Cluster;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// The node registry in the SQLite file, shared by the nodes of one machine (WAL lets them read while one writes).
/// Heartbeat times come from SQLite's clock, so all nodes compare against the same time source.
/// </summary>
public sealed class SqliteNodeRegistry(SqliteDatabase database) : INodeRegistry
{
    /// <summary>Milliseconds since the Unix epoch, by SQLite's clock.</summary>
    private const string NowMs = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    private const char ListSeparator = '\n';

    public async ValueTask HeartbeatAsync(ClusterNode node, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await turn.Command($"""
                INSERT INTO cluster_nodes (node_id, internal_url, roles, hosted_models, queue_depth, heartbeat_at_ms)
                VALUES ($id, $url, $roles, $models, $depth, {NowMs})
                ON CONFLICT (node_id) DO UPDATE SET internal_url = excluded.internal_url, roles = excluded.roles,
                    hosted_models = excluded.hosted_models, queue_depth = excluded.queue_depth, heartbeat_at_ms = excluded.heartbeat_at_ms
                """)
            .Set("$id", node.NodeId)
            .Set("$url", node.InternalUrl)
            .Set("$roles", string.Join(ListSeparator, node.Roles))
            .Set("$models", string.Join(ListSeparator, node.HostedModels))
            .Set("$depth", node.QueueDepth)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ClusterNode>> ListLiveAsync(TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT node_id, internal_url, roles, hosted_models, queue_depth, heartbeat_at_ms FROM cluster_nodes
            WHERE heartbeat_at_ms >= {NowMs} - $maxAgeMs ORDER BY node_id
            """;
        command.Parameters.AddWithValue("$maxAgeMs", (long)maxAge.TotalMilliseconds);
        var nodes = new List<ClusterNode>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            nodes.Add(new ClusterNode
            {
                NodeId = reader.GetString(0),
                InternalUrl = reader.GetString(1),
                Roles = Split(reader.GetString(2)),
                HostedModels = Split(reader.GetString(3)),
                QueueDepth = reader.GetInt32(4),
                LastHeartbeat = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            });
        }
        return nodes;
    }

    public async ValueTask RemoveAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM cluster_nodes WHERE node_id = $id";
        command.Parameters.AddWithValue("$id", nodeId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RecordSessionAsync(string sessionKey, string modelId, string nodeId, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await turn.Command($"""
                INSERT INTO cluster_sessions (session_key, model, node_id, served_at_ms) VALUES ($key, $model, $node, {NowMs})
                ON CONFLICT (session_key, model) DO UPDATE SET node_id = excluded.node_id, served_at_ms = excluded.served_at_ms
                """)
            .Set("$key", sessionKey)
            .Set("$model", modelId)
            .Set("$node", nodeId)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<string?> FindSessionNodeAsync(string sessionKey, string modelId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT node_id FROM cluster_sessions WHERE session_key = $key AND model = $model";
        command.Parameters.AddWithValue("$key", sessionKey);
        command.Parameters.AddWithValue("$model", modelId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async ValueTask<int> PruneSessionsAsync(TimeSpan idle, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        return await turn.Command($"DELETE FROM cluster_sessions WHERE served_at_ms < {NowMs} - $idleMs")
            .Set("$idleMs", (long)idle.TotalMilliseconds)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string[] Split(string text) =>
        text.Length == 0 ? [] : text.Split(ListSeparator);
}
