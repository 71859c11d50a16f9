using System.Text;

namespace LlmRouter.Persistence.Rollups;

/// <summary>The SQL of the rows a usage range sums, which every <see cref="RollupStatistics"/> answer groups and sums.</summary>
internal static class UsageRows
{
    /// <summary>
    /// The rows a range sums, in one shape (t, group columns, then the sums): the log's own rows for the parts of a
    /// minute at its edges, roll-up rows for the whole buckets between (see <see cref="UsagePiece"/>); totals and breakdowns down
    /// whichever ladder reads fewer buckets, a series down one no coarser than its buckets. Roll-up rows come from
    /// <paramref name="slice"/>, which must have every column the caller groups or filters by.
    /// </summary>
    public static string Select(DbCommand command, UsageRange range, IReadOnlyList<int>? ladder, RollupSlice slice, string filters = "")
    {
        var key = (range.ApiKeyId is { } id ? $" AND api_key_id = {command.Bind("key", id)}" : "") + filters;
        var error = command.Bind("error", InvocationStatusNames.ToName(InvocationStatus.Error));
        var closed = command.Bind("closed", InvocationStatusNames.ToName(InvocationStatus.ClientClosed));
        var rejected = command.Bind("rejected", InvocationStatusNames.ToName(InvocationStatus.Rejected));
        var parts = new List<string>();
        var (start, end) = (range.Start?.ToUnixTimeMilliseconds(), range.End?.ToUnixTimeMilliseconds());
        var pieces = ladder is null ? UsagePiece.Cheapest(start, end) : UsagePiece.Split(start, end, ladder);
        for (var i = 0; i < pieces.Count; i++)
        {
            var piece = pieces[i];
            var time = piece.Level is null ? "created_at_ms" : "bucket_ms";
            var where = new StringBuilder(piece.Level is { } level ? $" WHERE bucket_level = {level}" : " WHERE 1 = 1");
            if (piece.From is { } from)
            {
                where.Append($" AND {time} >= {command.Bind($"from{i}", from)}");
            }
            if (piece.To is { } to)
            {
                where.Append($" AND {time} < {command.Bind($"to{i}", to)}");
            }
            where.Append(key);
            parts.Add(piece.Level is null
                ? $"""
                    SELECT created_at_ms AS t, provider, model, api_key_id, api_key_name, CASE WHEN status = {rejected} THEN 0 ELSE 1 END AS requests,
                        CASE WHEN status = {error} THEN 1 ELSE 0 END AS errors, CASE WHEN status = {closed} THEN 1 ELSE 0 END AS client_closed,
                        prompt_tokens, completion_tokens, cost_nano_usd, CASE WHEN status = {rejected} THEN 0 ELSE latency_ms END AS latency_ms,
                        CASE WHEN ttft_ms IS NULL THEN 0 ELSE 1 END AS ttft_count, COALESCE(ttft_ms, 0) AS ttft_ms,
                        CASE WHEN status = {rejected} THEN 1 ELSE 0 END AS rejected
                    FROM invocations{where}
                    """
                : $"""
                    SELECT bucket_ms AS t, {slice.GroupColumns}, {RollupSchema.SumColumns}
                    FROM {slice.Table}{where}
                    """);
        }
        return string.Join(" UNION ALL ", parts);
    }
}
