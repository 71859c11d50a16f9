using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Rollups;
using LlmRouter.Persistence.Stores;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// The invocation log in the embedded SQLite file: a batch is one prepared statement stepped per record and per roll-up
/// row, in this process's write turn (reads: <see cref="InvocationStore"/>).
/// </summary>
public sealed class SqliteInvocationStore(SqliteDatabase database) : InvocationStore(database.Dialect)
{
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

    public override async ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default)
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
}
