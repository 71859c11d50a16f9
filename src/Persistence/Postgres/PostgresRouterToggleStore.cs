using LlmRouter.Abstractions.Routing;
using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// The router toggle in the cluster's PostgreSQL: a change and its history row are one transaction that holds the
/// state row's lock from the read to the write, so two nodes toggling at once cannot both succeed.
/// </summary>
public sealed class PostgresRouterToggleStore(PostgresDatabase database) : IRouterToggleStore
{
    private const string Columns = "value, previous_value, effective_at_ms, changed_at_ms, reason, changed_by, node, version";

    public async ValueTask<RouterToggleState?> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM router_toggle WHERE id = 1 AND version > 0");
        return await ReadStateAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<RouterToggleOutcome> ChangeAsync(RouterToggleRequest request, CancellationToken cancellationToken = default)
    {
        var now = request.Now.ToUnixTimeMilliseconds();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // A version-0 row stands for "never changed"; it exists only so there is a row to lock.
        await using (var seed = new NpgsqlCommand(
            $"INSERT INTO router_toggle (id, {Columns}) VALUES (1, @initial, @initial, 0, 0, NULL, NULL, NULL, 0) ON CONFLICT (id) DO NOTHING",
            connection, transaction))
        {
            seed.Parameters.AddWithValue("initial", request.InitialValue);
            await seed.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        RouterToggleState? current;
        await using (var read = new NpgsqlCommand($"SELECT {Columns} FROM router_toggle WHERE id = 1 FOR UPDATE", connection, transaction))
        {
            current = await ReadStateAsync(read, cancellationToken).ConfigureAwait(false);
        }
        if (current is { Version: 0 })
        {
            current = null;
        }
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
            return new RouterToggleOutcome(RouterToggleOutcomeKind.Unchanged, new RouterToggleState
            {
                Value = inForce,
                PreviousValue = inForce,
                EffectiveAt = DateTimeOffset.UnixEpoch,
                ChangedAt = DateTimeOffset.UnixEpoch,
            });
        }
        var effectiveAt = now + (long)request.Delay.TotalMilliseconds;
        RouterToggleState state;
        await using (var write = new NpgsqlCommand($"""
            UPDATE router_toggle SET value = @value, previous_value = @previous, effective_at_ms = @effective, changed_at_ms = @now,
                reason = @reason, changed_by = @by, node = @node, version = version + 1
            WHERE id = 1
            RETURNING {Columns}
            """, connection, transaction))
        {
            Bind(write, request, inForce, effectiveAt, now);
            state = (await ReadStateAsync(write, cancellationToken).ConfigureAwait(false))!;
        }
        await using (var history = new NpgsqlCommand("""
            INSERT INTO router_toggle_history (value, previous_value, reason, changed_by, node, requested_at_ms, effective_at_ms)
            VALUES (@value, @previous, @reason, @by, @node, @now, @effective)
            """, connection, transaction))
        {
            Bind(history, request, inForce, effectiveAt, now);
            await history.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RouterToggleOutcome(RouterToggleOutcomeKind.Accepted, state);
    }

    public async ValueTask<IReadOnlyList<RouterToggleChange>> HistoryAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT id, value, previous_value, reason, changed_by, node, requested_at_ms, effective_at_ms
            FROM router_toggle_history ORDER BY id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("limit", limit);
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

    private static void Bind(NpgsqlCommand command, RouterToggleRequest request, bool previous, long effectiveAt, long now)
    {
        command.Parameters.AddWithValue("value", request.Value);
        command.Parameters.AddWithValue("previous", previous);
        command.Parameters.AddWithValue("effective", effectiveAt);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("reason", (object?)request.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("by", (object?)request.ChangedBy ?? DBNull.Value);
        command.Parameters.AddWithValue("node", (object?)request.Node ?? DBNull.Value);
    }

    private static async ValueTask<RouterToggleState?> ReadStateAsync(NpgsqlCommand command, CancellationToken cancellationToken)
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
