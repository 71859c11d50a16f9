namespace LlmRouter.Abstractions.Invocations;

/// <summary>Filters and paging for reading the invocation log (newest first).</summary>
public sealed record InvocationQuery
{
    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public InvocationStatus? Status { get; init; }

    /// <summary>An API key's id or name.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Only calls made with this key (by id), whatever else is asked: a user key's view of the log.</summary>
    public string? ScopeApiKeyId { get; init; }

    /// <summary>
    /// Keyset paging: only invocations with a smaller id (pass the last id of the previous page). Deep pages cost what
    /// the first does, unlike <see cref="Offset"/>; <see cref="InvocationPage.Total"/> still counts every match.
    /// </summary>
    public long? BeforeId { get; init; }

    /// <summary>Only the attempts of one client call (see <see cref="InvocationRecord.CallId"/>).</summary>
    public string? CallId { get; init; }

    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
}
