namespace LlmRouter.Abstractions.Responses;

/// <summary>
/// A Responses API answer the router gave and kept (<c>store</c>): the response object as the client got it, and the
/// conversation that led to it, so a follow-up naming it as <c>previous_response_id</c> can continue.
/// </summary>
public sealed record StoredResponse
{
    /// <summary>The response's id (<c>resp_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The key that created it; null when the caller needed no key. Only that key (or an admin) may read it.</summary>
    public string? ApiKeyId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The input items of this response and of every response before it in the chain, as a JSON array.</summary>
    public required string Input { get; init; }

    /// <summary>The response object (JSON), as GET /v1/responses/{id} returns it.</summary>
    public required string Response { get; init; }
}
