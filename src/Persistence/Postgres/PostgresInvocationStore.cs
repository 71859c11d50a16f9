using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Rollups;
using LlmRouter.Persistence.Stores;
using Npgsql;
using NpgsqlTypes;

namespace LlmRouter.Persistence.Postgres;

/// <summary>The invocation log in PostgreSQL: a batch is one INSERT over arrays, its roll-ups one more (reads: <see cref="InvocationStore"/>).</summary>
public sealed class PostgresInvocationStore(PostgresDatabase database) : InvocationStore(database.Dialect)
{
    public override async ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return;
        }
        // The answer of every call in the batch waits for this commit: no disk flush in it (see RelaxedDataSource).
        await using var connection = await database.RelaxedDataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            INSERT INTO invocations (created_at_ms, node, api_key_id, api_key_name, session_id, client_format, provider, model, status,
                http_status, error, prompt_tokens, completion_tokens, total_tokens, cost_nano_usd, latency_ms, ttft_ms, stream, attempts,
                request_body, response_body, raw_response, route_group, route_rule, usage_estimated, refused_by, call_id)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                $10::integer[], $11::text[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[],
                $18::boolean[], $19::integer[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::boolean[], $26::text[], $27::text[])
            """, connection, transaction);
        var p = command.Parameters;
        p.Add(Array(records, r => r.CreatedAt.ToUnixTimeMilliseconds()));
        p.Add(Array(records, r => r.Node));
        p.Add(Array(records, r => r.ApiKeyId));
        p.Add(Array(records, r => r.ApiKeyName));
        p.Add(Array(records, r => r.SessionId));
        p.Add(Array(records, r => r.ClientFormat));
        p.Add(Array(records, r => r.Provider));
        p.Add(Array(records, r => r.Model));
        p.Add(Array(records, r => InvocationStatusNames.ToName(r.Status)));
        p.Add(Array(records, r => r.HttpStatus));
        p.Add(Array(records, r => r.Error));
        p.Add(Array(records, r => r.PromptTokens));
        p.Add(Array(records, r => r.CompletionTokens));
        p.Add(Array(records, r => r.TotalTokens));
        p.Add(Array(records, r => CostUnits.ToNanoUsd(r.Cost)));
        p.Add(Array(records, r => r.LatencyMs));
        p.Add(Array(records, r => r.TimeToFirstTokenMs));
        p.Add(Array(records, r => r.Stream));
        p.Add(Array(records, r => r.Attempts));
        p.Add(Array(records, r => r.RequestBody));
        p.Add(Array(records, r => r.ResponseBody));
        p.Add(Array(records, r => r.RawResponse));
        p.Add(Array(records, r => r.Group));
        p.Add(Array(records, r => r.Rule));
        p.Add(Array(records, r => r.UsageEstimated));
        p.Add(Array(records, r => r.RefusedBy));
        p.Add(Array(records, r => r.CallId));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await AddToRollupsAsync(connection, transaction, records, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the batch to its roll-ups, in the batch's transaction. Rows are upserted in key order, so two nodes adding to
    /// the same rows wait for each other instead of deadlocking.
    /// </summary>
    private static async Task AddToRollupsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken)
    {
        var deltas = InvocationRollups.Deltas(records)
            .OrderBy(d => d.Key.Level).ThenBy(d => d.Key.BucketMs).ThenBy(d => d.Key.Provider, StringComparer.Ordinal)
            .ThenBy(d => d.Key.Model, StringComparer.Ordinal).ThenBy(d => d.Key.ApiKeyId, StringComparer.Ordinal)
            .ThenBy(d => d.Key.ApiKeyName, StringComparer.Ordinal)
            .ToArray();
        await using var command = new NpgsqlCommand($"""
            INSERT INTO invocation_rollups ({RollupSchema.KeyColumns}, {RollupSchema.SumColumns})
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
                $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[])
            {RollupSchema.OnConflictAdd}
            """, connection, transaction);
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
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter<T[]> Array<T>(IReadOnlyList<InvocationRecord> records, Func<InvocationRecord, T> select) =>
        new() { TypedValue = records.Select(select).ToArray() };
}
