namespace LlmRouter.Persistence;

/// <summary>
/// The columns a logged call is written to, each with its PostgreSQL type and how its value is read off the record:
/// the one list both stores' inserts are made from (SQLite a row at a time, PostgreSQL a column of the batch at a time).
/// </summary>
internal static class InvocationColumns
{
    public static IReadOnlyList<InvocationColumn> All { get; } =
    [
        Column("created_at_ms", "bigint", r => r.CreatedAt.ToUnixTimeMilliseconds()),
        Column("node", "text", r => r.Node),
        Column("api_key_id", "text", r => r.ApiKeyId),
        Column("api_key_name", "text", r => r.ApiKeyName),
        Column("session_id", "text", r => r.SessionId),
        Column("client_format", "text", r => r.ClientFormat),
        Column("provider", "text", r => r.Provider),
        Column("model", "text", r => r.Model),
        Column("status", "text", r => InvocationStatusNames.ToName(r.Status)),
        Column("http_status", "integer", r => r.HttpStatus),
        Column("error", "text", r => r.Error),
        Column("prompt_tokens", "bigint", r => r.PromptTokens),
        Column("completion_tokens", "bigint", r => r.CompletionTokens),
        Column("total_tokens", "bigint", r => r.TotalTokens),
        Column("cost_nano_usd", "bigint", r => CostUnits.ToNanoUsd(r.Cost)),
        Column("latency_ms", "bigint", r => r.LatencyMs),
        Column("ttft_ms", "bigint", r => r.TimeToFirstTokenMs),
        Column("stream", "boolean", r => r.Stream),
        Column("attempts", "integer", r => r.Attempts),
        Column("request_body", "text", r => r.RequestBody),
        Column("response_body", "text", r => r.ResponseBody),
        Column("raw_response", "text", r => r.RawResponse),
        Column("route_group", "text", r => r.Group),
        Column("route_rule", "text", r => r.Rule),
        Column("usage_estimated", "boolean", r => r.UsageEstimated),
        Column("refused_by", "text", r => r.RefusedBy),
        Column("call_id", "text", r => r.CallId),
        Column("endpoint", "text", r => r.Endpoint),
    ];

    /// <summary>The head of an INSERT of <see cref="All"/>, in their order.</summary>
    public static string Insert { get; } = $"INSERT INTO invocations ({string.Join(", ", All.Select(c => c.Name))})";

    private static InvocationColumn<T> Column<T>(string name, string postgresType, Func<InvocationRecord, T> read) => new(name, postgresType, read);
}

/// <summary>One column of <see cref="InvocationColumns"/>.</summary>
internal abstract class InvocationColumn(string name, string postgresType)
{
    public string Name { get; } = name;

    /// <summary>The column's type in PostgreSQL; SQLite takes what it is given.</summary>
    public string PostgresType { get; } = postgresType;

    /// <summary>The record's value for the column (a bool binds as 1 or 0 in SQLite).</summary>
    public abstract object? Value(InvocationRecord record);

    /// <summary>Every record's value as one typed array (<c>T[]</c>), which a driver binds as one array parameter.</summary>
    public abstract Array Values(IReadOnlyList<InvocationRecord> records);
}

/// <summary>A column whose value reads as <typeparamref name="T"/>.</summary>
internal sealed class InvocationColumn<T>(string name, string postgresType, Func<InvocationRecord, T> read) : InvocationColumn(name, postgresType)
{
    public override object? Value(InvocationRecord record) => read(record);

    public override Array Values(IReadOnlyList<InvocationRecord> records) => records.Select(read).ToArray();
}
