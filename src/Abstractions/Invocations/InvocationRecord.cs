namespace LlmRouter.Abstractions.Invocations;

/// <summary>One call through the router, as the invocation log keeps it.</summary>
public sealed record InvocationRecord
{
    /// <summary>Assigned by the store when the record is written.</summary>
    public long Id { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public string? Node { get; init; }
    public string? ApiKeyId { get; init; }
    public string? ApiKeyName { get; init; }
    public string? SessionId { get; init; }

    /// <summary>The API the client spoke: openai, anthropic or native.</summary>
    public required string ClientFormat { get; init; }

    /// <summary>The router endpoint the client called (/v1/chat/completions, /v1/messages, /v1/embeddings, /invoke…); null in rows older than it.</summary>
    public string? Endpoint { get; init; }

    public required string Provider { get; init; }
    public required string Model { get; init; }

    /// <summary>The model group the client named, when the call was routed through one.</summary>
    public string? Group { get; init; }

    /// <summary>The routing rule that picked the model, when one did.</summary>
    public string? Rule { get; init; }

    public required InvocationStatus Status { get; init; }

    /// <summary>The HTTP status the client got (0 when the client left before it was sent).</summary>
    public int HttpStatus { get; init; }

    public string? Error { get; init; }

    /// <summary>For a <see cref="InvocationStatus.Rejected"/> call refused by a limit, which one (e.g. "key rpm 60").</summary>
    public string? RefusedBy { get; init; }

    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>True when the upstream reported no usage and the tokens (and so the cost) are the router's estimate.</summary>
    public bool UsageEstimated { get; init; }
    public decimal Cost { get; init; }
    public long LatencyMs { get; init; }
    public long? TimeToFirstTokenMs { get; init; }
    public bool Stream { get; init; }
    public int Attempts { get; init; } = 1;

    /// <summary>Shared by the records of one client call that tried several models (fallbacks), so each attempt links to the others.</summary>
    public string? CallId { get; init; }
    public string? RequestBody { get; init; }
    public string? ResponseBody { get; init; }
    public string? RawResponse { get; init; }

    /// <summary>What the call held against rate limits and budget until settlement (kept in memory, not stored).</summary>
    public Grains.Reservation? Reservation { get; init; }
}
