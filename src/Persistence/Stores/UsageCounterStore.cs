using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Persistence.Stores;

/// <summary>
/// Usage counters read from the invocation log itself: a model's and a key's are the sums of their month roll-ups
/// (written in the log's own transactions, and kept when retention deletes records), a session's the sums of its
/// records. Nothing is written per call, and the counters equal the log after any crash because they are the log.
/// </summary>
public sealed class UsageCounterStore(StoreDialect dialect) : IUsageCounterStore
{
    // PostgreSQL sums BIGINT as NUMERIC: cast back, so both stores answer 64-bit integers.
    private static readonly string Sums = string.Join(", ", new[] { "requests", "prompt_tokens", "completion_tokens", "cost_nano_usd" }.Select(Sum));

    private static readonly string ModelSql =
        $"SELECT {Sums} FROM {RollupSlice.Models.Table} WHERE bucket_level = {InvocationRollups.Month} AND provider = @provider AND model = @model";

    private static readonly string KeySql =
        $"SELECT {Sums} FROM {RollupSlice.Keys.Table} WHERE bucket_level = {InvocationRollups.Month} AND api_key_id = @key";

    // A session's calls are few and recent (a login lasts days): read from its records, which the index on session_id finds.
    private static readonly string SessionSql = $"""
        SELECT COUNT(*), {Sum("prompt_tokens")}, {Sum("completion_tokens")}, {Sum("cost_nano_usd")}
        FROM invocations WHERE session_id = @session AND status <> '{InvocationStatusNames.ToName(InvocationStatus.Rejected)}'
        """;

    public async ValueTask<UsageCounters> GetUsageAsync(UsageScope scope, string id, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = scope switch
        {
            UsageScope.Model => (ModelSql, ModelParameters(id)),
            UsageScope.ApiKey => (KeySql, [("@key", id)]),
            _ => (SessionSql, new (string, object?)[] { ("@session", id) }),
        };
        var counters = await dialect.ReadOneAsync(sql, parameters,
            reader => new UsageCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), NanoUsd.ToUsd(reader.GetInt64(3))),
            cancellationToken).ConfigureAwait(false);
        return counters ?? UsageCounters.None;
    }

    private static string Sum(string column) => $"CAST(COALESCE(SUM({column}), 0) AS BIGINT)";

    /// <summary>A model id is <c>"provider/model"</c>; provider names hold no slash, model names may.</summary>
    private static (string, object?)[] ModelParameters(string modelId)
    {
        var slash = modelId.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? [("@provider", ""), ("@model", modelId)] : [("@provider", modelId[..slash]), ("@model", modelId[(slash + 1)..])];
    }
}
