using LlmRouter.Abstractions.Routing;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>The router toggle in the embedded SQLite file: a change and its history row are written in one IMMEDIATE transaction.</summary>
public sealed class SqliteRouterToggleStore(SqliteDatabase database) : IRouterToggleStore
{
    private const string Columns = "value, previous_value, effective_at_ms, changed_at_ms, reason, changed_by, node, version";

    public async ValueTask<RouterToggleState?> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM router_toggle WHERE id = 1";
        return await ReadStateAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<RouterToggleOutcome> ChangeAsync(RouterToggleRequest request, CancellationToken cancellationToken = default)
    {
        var now = request.Now.ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Serializable makes Microsoft.Data.Sqlite begin IMMEDIATE: the write lock is taken before the state is read.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = $"SELECT {Columns} FROM router_toggle WHERE id = 1";
            var current = await ReadStateAsync(read, cancellationToken).ConfigureAwait(false);
            if (current is not null && current.Value == request.Value)
            {
                return new RouterToggleOutcome(RouterToggleOutcomeKind.Unchanged, current);
            }
            if (current is not null && current.ChangedAt + request.Cooldown > request.Now)
            {
                return new RouterToggleOutcome(RouterToggleOutcomeKind.CoolingDown, current) { RetryAt = current.ChangedAt + request.Cooldown };
            }
            var inForce = current?.EnabledAt(request.Now) ?? request.InitialValue;
            if (current is null && inForce == request.Value)
            {
                return new RouterToggleOutcome(RouterToggleOutcomeKind.Unchanged, Initial(request));
            }
            var effectiveAt = now + (long)request.Delay.TotalMilliseconds;
            await using var write = connection.CreateCommand();
            write.Transaction = transaction;
            write.CommandText = $"""
                INSERT INTO router_toggle (id, {Columns}) VALUES (1, $value, $previous, $effective, $now, $reason, $by, $node, 1)
                ON CONFLICT (id) DO UPDATE SET value = excluded.value, previous_value = excluded.previous_value,
                    effective_at_ms = excluded.effective_at_ms, changed_at_ms = excluded.changed_at_ms, reason = excluded.reason,
                    changed_by = excluded.changed_by, node = excluded.node, version = router_toggle.version + 1;
                INSERT INTO router_toggle_history (value, previous_value, reason, changed_by, node, requested_at_ms, effective_at_ms)
                VALUES ($value, $previous, $reason, $by, $node, $now, $effective);
                SELECT {Columns} FROM router_toggle WHERE id = 1
                """;
            write.Parameters.AddWithValue("$value", request.Value);
            write.Parameters.AddWithValue("$previous", inForce);
            write.Parameters.AddWithValue("$effective", effectiveAt);
            write.Parameters.AddWithValue("$now", now);
            write.Parameters.AddWithValue("$reason", (object?)request.Reason ?? DBNull.Value);
            write.Parameters.AddWithValue("$by", (object?)request.ChangedBy ?? DBNull.Value);
            write.Parameters.AddWithValue("$node", (object?)request.Node ?? DBNull.Value);
            var state = await ReadStateAsync(write, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new RouterToggleOutcome(RouterToggleOutcomeKind.Accepted, state!);
        }
    }

    public async ValueTask<IReadOnlyList<RouterToggleChange>> HistoryAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, value, previous_value, reason, changed_by, node, requested_at_ms, effective_at_ms
            FROM router_toggle_history ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit);
        var changes = new List<RouterToggleChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new RouterToggleChange
            {
                Id = reader.GetInt64(0),
                Value = reader.GetBoolean(1),
                PreviousValue = reader.GetBoolean(2),
                Reason = reader.IsDBNull(3) ? null : reader.GetString(3),
                ChangedBy = reader.IsDBNull(4) ? null : reader.GetString(4),
                Node = reader.IsDBNull(5) ? null : reader.GetString(5),
                RequestedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                EffectiveAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
            });
        }
        return changes;
    }

    /// <summary>The state of a toggle never changed, as a record (version 0).</summary>
    private static RouterToggleState Initial(RouterToggleRequest request) => new()
    {
        Value = request.InitialValue,
        PreviousValue = request.InitialValue,
        EffectiveAt = DateTimeOffset.UnixEpoch,
        ChangedAt = DateTimeOffset.UnixEpoch,
    };

    private static async ValueTask<RouterToggleState?> ReadStateAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new RouterToggleState
        {
            Value = reader.GetBoolean(0),
            PreviousValue = reader.GetBoolean(1),
            EffectiveAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            ChangedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
            Reason = reader.IsDBNull(4) ? null : reader.GetString(4),
            ChangedBy = reader.IsDBNull(5) ? null : reader.GetString(5),
            Node = reader.IsDBNull(6) ? null : reader.GetString(6),
            Version = reader.GetInt64(7),
        };
    }
}
