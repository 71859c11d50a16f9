namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// Grain state rows in the embedded SQLite file, guarded by an etag (a version number): a write names the version it
/// replaces, so a second activation writing over the first is refused instead of silently winning.
/// </summary>
public sealed class SqliteGrainStateStore(SqliteDatabase database)
{
    /// <summary>The stored payload and its version, or null when the grain has never written.</summary>
    public async ValueTask<(byte[] Payload, long Version)?> ReadAsync(string grainType, string grainId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload, etag FROM grain_state WHERE grain_type = $t AND grain_id = $i";
        command.Parameters.AddWithValue("$t", grainType);
        command.Parameters.AddWithValue("$i", grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ((byte[])reader.GetValue(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Writes a new version over <paramref name="expected"/> (null: the row must not exist yet); returns the new version, or null on a conflict.</summary>
    public async ValueTask<long?> WriteAsync(string grainType, string grainId, byte[] payload, long? expected, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        var command = turn.Command(expected is null
            ? "INSERT INTO grain_state (grain_type, grain_id, etag, payload) VALUES ($t, $i, 1, $p) ON CONFLICT DO NOTHING"
            : "UPDATE grain_state SET etag = etag + 1, payload = $p WHERE grain_type = $t AND grain_id = $i AND etag = $e");
        command.Set("$t", grainType).Set("$i", grainId).Set("$p", payload);
        if (expected is { } version)
        {
            command.Set("$e", version);
        }
        var changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return changed == 1 ? (expected ?? 0) + 1 : null;
    }

    public async ValueTask ClearAsync(string grainType, string grainId, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await turn.Command("DELETE FROM grain_state WHERE grain_type = $t AND grain_id = $i").Set("$t", grainType).Set("$i", grainId)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
