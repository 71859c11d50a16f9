namespace LlmRouter.Persistence;

/// <summary>The invocations columns and row mapping both stores share (their schemas are the same columns).</summary>
internal static class InvocationRows
{
    /// <summary>Every column but the bodies, in the order <see cref="ReadSummary"/> reads them.</summary>
    public const string Columns =
        "id, created_at_ms, node, api_key_id, api_key_name, session_id, client_format, provider, model, status, http_status, error, " +
        "prompt_tokens, completion_tokens, cost_nano_usd, latency_ms, ttft_ms, stream, attempts, route_group, route_rule, usage_estimated, refused_by, call_id, endpoint";

    /// <summary><see cref="Columns"/> followed by the three bodies, in the order <see cref="ReadFull"/> reads them.</summary>
    public const string ColumnsWithBodies = Columns + ", request_body, response_body, raw_response";

    /// <summary>One row of <see cref="Columns"/>; stream and usage_estimated are booleans in PostgreSQL and integers in SQLite.</summary>
    public static InvocationRecord ReadSummary(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        Node = Text(reader, 2),
        ApiKeyId = Text(reader, 3),
        ApiKeyName = Text(reader, 4),
        SessionId = Text(reader, 5),
        ClientFormat = reader.GetString(6),
        Provider = reader.GetString(7),
        Model = reader.GetString(8),
        Status = InvocationStatusNames.Parse(reader.GetString(9)),
        HttpStatus = reader.GetInt32(10),
        Error = Text(reader, 11),
        PromptTokens = reader.GetInt64(12),
        CompletionTokens = reader.GetInt64(13),
        Cost = CostUnits.FromNanoUsd(reader.GetInt64(14)),
        LatencyMs = reader.GetInt64(15),
        TimeToFirstTokenMs = reader.IsDBNull(16) ? null : reader.GetInt64(16),
        Stream = Convert.ToBoolean(reader.GetValue(17), System.Globalization.CultureInfo.InvariantCulture),
        Attempts = reader.GetInt32(18),
        Group = Text(reader, 19),
        Rule = Text(reader, 20),
        UsageEstimated = Convert.ToBoolean(reader.GetValue(21), System.Globalization.CultureInfo.InvariantCulture),
        RefusedBy = Text(reader, 22),
        CallId = Text(reader, 23),
        Endpoint = Text(reader, 24),
    };

    /// <summary>One row of <see cref="ColumnsWithBodies"/>.</summary>
    public static InvocationRecord ReadFull(DbDataReader reader) => ReadSummary(reader) with
    {
        RequestBody = Text(reader, 25),
        ResponseBody = Text(reader, 26),
        RawResponse = Text(reader, 27),
    };

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
