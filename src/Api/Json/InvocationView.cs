namespace LlmRouter.Api.Json;

/// <summary>One invocation as GET /monitor/invocations lists it (no bodies).</summary>
public record InvocationView
{
    public required long Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? Node { get; init; }
    public string? ApiKeyId { get; init; }
    public string? ApiKeyName { get; init; }
    public string? SessionId { get; init; }
    public required string ClientFormat { get; init; }

    /// <summary>The router endpoint the client called (e.g. /v1/embeddings); null for calls logged before the log kept it.</summary>
    public string? Endpoint { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public string? Group { get; init; }
    public string? Rule { get; init; }

    /// <summary>success, error, client_closed or rejected (answered by the router itself; nothing went upstream).</summary>
    public required string Status { get; init; }

    public int HttpStatus { get; init; }
    public string? Error { get; init; }

    /// <summary>For a rejected call refused by a limit, which one (e.g. "key rpm 60"); omitted otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? RefusedBy { get; init; }

    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long TotalTokens { get; init; }

    /// <summary>The upstream reported no usage: tokens and cost are the router's estimate.</summary>
    public bool UsageEstimated { get; init; }
    public decimal Cost { get; init; }
    public long LatencyMs { get; init; }
    public long? TimeToFirstTokenMs { get; init; }
    public bool Stream { get; init; }
    public int Attempts { get; init; }
}
