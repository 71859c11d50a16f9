using System.Globalization;
using System.Text;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Rollups;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>The invocation log in the embedded SQLite file.</summary>
public sealed class SqliteInvocationStore(SqliteDatabase database) : IInvocationStore
{
    private readonly SqliteInvocationStatistics _rollups = new(database);

    private const string InsertSql = """
        INSERT INTO invocations (created_at_ms, node, api_key_id, api_key_name, session_id, client_format, provider, model, status,
            http_status, error, prompt_tokens, completion_tokens, total_tokens, cost_nano_usd, latency_ms, ttft_ms, stream, attempts,
            request_body, response_body, raw_response, route_group, route_rule, usage_estimated, refused_by, call_id)
        VALUES ($created, $node, $keyId, $keyName, $session, $format, $provider, $model, $status, $http, $error, $prompt, $completion,
            $total, $cost, $latency, $ttft, $stream, $attempts, $request, $response, $raw, $group, $rule, $estimated, $refusedBy, $callId)
        """;

    private static readonly string RollupSql =
        $"INSERT INTO invocation_rollups ({RollupSchema.KeyColumns}, {RollupSchema.SumColumns}) " +
        $"VALUES ({string.Join(", ", Enumerable.Range(0, RollupSchema.ColumnCount).Select(i => $"$r{i}"))}) {RollupSchema.OnConflictAdd}";

    private static readonly string[] InsertParameters =
    [
        "$created", "$node", "$keyId", "$keyName", "$session", "$format", "$provider", "$model", "$status", "$http", "$error",
        "$prompt", "$completion", "$total", "$cost", "$latency", "$ttft", "$stream", "$attempts", "$request", "$response", "$raw", "$group", "$rule",
        "$estimated", "$refusedBy", "$callId",
    ];

    public async ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await turn.BeginAsync(cancellationToken).ConfigureAwait(false);
        var command = turn.Command(InsertSql);
        var p = command.Parameters;
        if (p.Count == 0)
        {
            // The prepared command outlives the batch: its parameters are made once and rebound by position per record.
            foreach (var name in InsertParameters)
            {
                p.Add(new SqliteParameter { ParameterName = name });
            }
        }
        foreach (var r in records)
        {
            object?[] values =
            [
                r.CreatedAt.ToUnixTimeMilliseconds(), r.Node, r.ApiKeyId, r.ApiKeyName, r.SessionId, r.ClientFormat, r.Provider, r.Model,
                InvocationStatusNames.ToName(r.Status), r.HttpStatus, r.Error, r.PromptTokens, r.CompletionTokens, r.TotalTokens,
                CostUnits.ToNanoUsd(r.Cost), r.LatencyMs, r.TimeToFirstTokenMs, r.Stream ? 1 : 0, r.Attempts, r.RequestBody, r.ResponseBody, r.RawResponse,
                r.Group, r.Rule, r.UsageEstimated ? 1 : 0, r.RefusedBy, r.CallId,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                p[i].Value = values[i] ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await AddToRollupsAsync(turn, records, cancellationToken).ConfigureAwait(false);
        await turn.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the batch to its roll-ups, in the batch's transaction.</summary>
    private static async Task AddToRollupsAsync(SqliteWriteTurn turn, IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken)
    {
        var command = turn.Command(RollupSql);
        var p = command.Parameters;
        if (p.Count == 0)
        {
            for (var i = 0; i < RollupSchema.ColumnCount; i++)
            {
                p.Add(new SqliteParameter { ParameterName = $"$r{i}" });
            }
        }
        foreach (var (key, sum) in InvocationRollups.Deltas(records))
        {
            object[] values =
            [
                key.Level, key.BucketMs, key.Provider, key.Model, key.ApiKeyId, key.ApiKeyName, sum.Requests, sum.Errors, sum.ClientClosed,
                sum.PromptTokens, sum.CompletionTokens, sum.CostNanoUsd, sum.LatencyMsSum, sum.TtftCount, sum.TtftMsSum, sum.Rejected,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                p[i].Value = values[i];
            }
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var where = new StringBuilder(" WHERE 1 = 1");
        await using var count = connection.CreateCommand();
        await using var page = connection.CreateCommand();
        void Filter(string clause, string name, object value)
        {
            where.Append(" AND ").Append(clause);
            count.Parameters.AddWithValue(name, value);
            page.Parameters.AddWithValue(name, value);
        }
        if (query.Provider is { } provider)
        {
            Filter("provider = $provider", "$provider", provider);
        }
        if (query.Model is { } model)
        {
            var (modelProvider, modelName) = ModelFilter.Split(model);
            Filter("(model = $model OR provider = $modelProvider AND model = $modelName)", "$model", model);
            count.Parameters.AddWithValue("$modelProvider", modelProvider);
            page.Parameters.AddWithValue("$modelProvider", modelProvider);
            count.Parameters.AddWithValue("$modelName", modelName);
            page.Parameters.AddWithValue("$modelName", modelName);
        }
        if (query.Status is { } status)
        {
            Filter("status = $status", "$status", InvocationStatusNames.ToName(status));
        }
        if (query.ApiKey is { } apiKey)
        {
            Filter("(api_key_id = $apiKey OR api_key_name = $apiKey)", "$apiKey", apiKey);
        }
        if (query.ScopeApiKeyId is { } scope)
        {
            Filter("api_key_id = $scope", "$scope", scope);
        }
        if (query.CallId is { } callId)
        {
            Filter("call_id = $callId", "$callId", callId);
        }
        if (query.Start is { } start)
        {
            Filter("created_at_ms >= $start", "$start", start.ToUnixTimeMilliseconds());
        }
        if (query.End is { } end)
        {
            Filter("created_at_ms < $end", "$end", end.ToUnixTimeMilliseconds());
        }
        // The total comes from the roll-ups (see RollupStatistics.CountAsync); only one call's few attempts are counted in the log.
        count.CommandText = "SELECT COUNT(*) FROM invocations" + where;
        var total = query.CallId is null
            ? await _rollups.CountAsync(query, cancellationToken).ConfigureAwait(false)
            : Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

        var before = "";
        if (query.BeforeId is { } beforeId)
        {
            before = " AND id < $before";
            page.Parameters.AddWithValue("$before", beforeId);
        }
        page.CommandText = $"SELECT {InvocationRows.Columns} FROM invocations{where}{before} ORDER BY id DESC LIMIT $limit OFFSET $offset";
        page.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 1000));
        page.Parameters.AddWithValue("$offset", Math.Max(0, query.Offset));
        var items = new List<InvocationRecord>();
        await using var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(InvocationRows.ReadSummary(reader));
        }
        return new InvocationPage(total, items);
    }

    public async ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {InvocationRows.ColumnsWithBodies} FROM invocations WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return InvocationRows.ReadFull(reader);
    }

    public async ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        // Oldest first and a bounded number per statement, so a large backlog never holds the write lock for long.
        return await turn.Command("""
                DELETE FROM invocations WHERE id IN (
                    SELECT id FROM invocations WHERE created_at_ms < $cutoff ORDER BY created_at_ms LIMIT $limit)
                """)
            .Set("$cutoff", cutoff.ToUnixTimeMilliseconds())
            .Set("$limit", limit)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
