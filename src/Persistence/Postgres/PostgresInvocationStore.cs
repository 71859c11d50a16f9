using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// The invocation log in PostgreSQL: a batch is one INSERT over arrays that also widens its hours' id bounds, its roll-ups
/// one more (reads: <see cref="InvocationStore"/>).
/// </summary>
public sealed class PostgresInvocationStore(PostgresDatabase database) : InvocationStore(database.Dialect)
{
    private static readonly string InsertSql =
        $"WITH logged AS ({InvocationColumns.Insert} " +
        $"SELECT * FROM unnest({string.Join(", ", InvocationColumns.All.Select((c, i) => $"${i + 1}::{c.PostgresType}[]"))}) RETURNING id, created_at_ms) " +
        InvocationIdBounds.Widen("logged", "true", (a, b) => $"least({a}, {b})", (a, b) => $"greatest({a}, {b})");

    public override async ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return;
        }
        // The answer of every call in the batch waits for this commit: no disk flush in it (see RelaxedDataSource).
        await using var connection = await database.RelaxedDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        foreach (var column in InvocationColumns.All)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = column.Values(records) });
        }
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await AddToRollupsAsync(connection, transaction, records, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static readonly Dictionary<RollupSlice, string> RollupSql = RollupSlice.All.ToDictionary(slice => slice, slice => $"""
        INSERT INTO {slice.Table} ({RollupSchema.KeyColumns}, {RollupSchema.SumColumns})
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
            $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[])
        {RollupSchema.OnConflictAdd(slice.Table)}
        """);

    /// <summary>
    /// Adds the batch to its roll-ups (every slice, in one round trip), in the batch's transaction. Rows are upserted in key
    /// order, so two nodes adding to the same rows wait for each other instead of deadlocking.
    /// </summary>
    private static async Task AddToRollupsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken)
    {
        var full = InvocationRollups.Deltas(records);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var slice in RollupSlice.All)
        {
            var deltas = slice.Deltas(full)
                .OrderBy(d => d.Key.Level).ThenBy(d => d.Key.BucketMs).ThenBy(d => d.Key.Provider, StringComparer.Ordinal)
                .ThenBy(d => d.Key.Model, StringComparer.Ordinal).ThenBy(d => d.Key.ApiKeyId, StringComparer.Ordinal)
                .ThenBy(d => d.Key.ApiKeyName, StringComparer.Ordinal)
                .ToArray();
            var command = new NpgsqlBatchCommand(RollupSql[slice]);
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<long[]> { TypedValue = deltas.Select(d => (long)d.Key.Level).ToArray() });
            p.Add(new NpgsqlParameter<long[]> { TypedValue = deltas.Select(d => d.Key.BucketMs).ToArray() });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = deltas.Select(d => d.Key.Provider).ToArray() });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = deltas.Select(d => d.Key.Model).ToArray() });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = deltas.Select(d => d.Key.ApiKeyId).ToArray() });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = deltas.Select(d => d.Key.ApiKeyName).ToArray() });
            foreach (var sum in new Func<UsageAggregate, long>[]
            {
                a => a.Requests, a => a.Errors, a => a.ClientClosed, a => a.PromptTokens, a => a.CompletionTokens, a => a.CostNanoUsd,
                a => a.LatencyMsSum, a => a.TtftCount, a => a.TtftMsSum, a => a.Rejected,
            })
            {
                p.Add(new NpgsqlParameter<long[]> { TypedValue = deltas.Select(d => sum(d.Value)).ToArray() });
            }
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
