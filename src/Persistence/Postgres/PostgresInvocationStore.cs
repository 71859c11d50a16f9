using System.Text;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Rollups;
using Npgsql;
using NpgsqlTypes;

namespace LlmRouter.Persistence.Postgres;

/// <summary>The invocation log in PostgreSQL: a batch is one INSERT over arrays, reads mirror the SQLite store.</summary>
public sealed class PostgresInvocationStore(PostgresDatabase database) : IInvocationStore
{
    private readonly PostgresInvocationStatistics _rollups = new(database);

    public async ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default)
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

    public async ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default)
    {
        var where = new StringBuilder(" WHERE TRUE");
        var values = new List<NpgsqlParameter>();
        void Filter(string column, NpgsqlParameter value)
        {
            values.Add(value);
            where.Append(" AND ").Append(column).Append(" $").Append(values.Count);
        }
        if (query.Provider is { } provider)
        {
            Filter("provider =", new NpgsqlParameter<string> { TypedValue = provider });
        }
        if (query.Model is { } model)
        {
            var (modelProvider, modelName) = ModelFilter.Split(model);
            values.Add(new NpgsqlParameter<string> { TypedValue = model });
            values.Add(new NpgsqlParameter<string> { TypedValue = modelProvider });
            values.Add(new NpgsqlParameter<string> { TypedValue = modelName });
            where.Append(" AND (model = $").Append(values.Count - 2)
                .Append(" OR provider = $").Append(values.Count - 1).Append(" AND model = $").Append(values.Count).Append(')');
        }
        if (query.Status is { } status)
        {
            Filter("status =", new NpgsqlParameter<string> { TypedValue = InvocationStatusNames.ToName(status) });
        }
        if (query.ApiKey is { } apiKey)
        {
            values.Add(new NpgsqlParameter<string> { TypedValue = apiKey });
            where.Append(" AND (api_key_id = $").Append(values.Count).Append(" OR api_key_name = $").Append(values.Count).Append(')');
        }
        if (query.ScopeApiKeyId is { } scope)
        {
            Filter("api_key_id =", new NpgsqlParameter<string> { TypedValue = scope });
        }
        if (query.CallId is { } callId)
        {
            Filter("call_id =", new NpgsqlParameter<string> { TypedValue = callId });
        }
        if (query.Start is { } start)
        {
            Filter("created_at_ms >=", new NpgsqlParameter<long> { TypedValue = start.ToUnixTimeMilliseconds() });
        }
        if (query.End is { } end)
        {
            Filter("created_at_ms <", new NpgsqlParameter<long> { TypedValue = end.ToUnixTimeMilliseconds() });
        }
        await using var batch = database.DataSource.CreateBatch();
        // The total comes from the roll-ups (see RollupStatistics.CountAsync); only one call's few attempts are counted in the log.
        var counted = query.CallId is not null;
        var count = new NpgsqlBatchCommand("SELECT count(*) FROM invocations" + where);
        var before = query.BeforeId is null ? "" : $" AND id < ${values.Count + 3}";
        var page = new NpgsqlBatchCommand(
            $"SELECT {InvocationRows.Columns} FROM invocations{where}{before} ORDER BY id DESC LIMIT ${values.Count + 1} OFFSET ${values.Count + 2}");
        foreach (var value in values)
        {
            count.Parameters.Add(value.Clone());
            page.Parameters.Add(value.Clone());
        }
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Clamp(query.Limit, 1, 1000) });
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, query.Offset) });
        if (query.BeforeId is { } beforeId)
        {
            page.Parameters.Add(new NpgsqlParameter<long> { TypedValue = beforeId });
        }
        if (counted)
        {
            batch.BatchCommands.Add(count);
        }
        batch.BatchCommands.Add(page);
        var total = 0L;
        var items = new List<InvocationRecord>();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (counted)
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                total = reader.GetInt64(0);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(InvocationRows.ReadSummary(reader));
            }
        }
        if (!counted)
        {
            total = await _rollups.CountAsync(query, cancellationToken).ConfigureAwait(false);
        }
        return new InvocationPage(total, items);
    }

    public async ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {InvocationRows.ColumnsWithBodies} FROM invocations WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return InvocationRows.ReadFull(reader);
    }

    public async ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default)
    {
        // Oldest first and a bounded number per statement, so pruning never holds many rows locked at once.
        await using var command = database.DataSource.CreateCommand("""
            DELETE FROM invocations WHERE id IN (
                SELECT id FROM invocations WHERE created_at_ms < $1 ORDER BY created_at_ms LIMIT $2)
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoff.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter<T[]> Array<T>(IReadOnlyList<InvocationRecord> records, Func<InvocationRecord, T> select) =>
        new() { TypedValue = records.Select(select).ToArray() };
}
