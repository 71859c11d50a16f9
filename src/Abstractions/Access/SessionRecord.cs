namespace LlmRouter.Abstractions.Access;

/// <summary>A login session: a public id for logs, the HMAC of its bearer token, its key and the model bound to it.</summary>
public sealed record SessionRecord
{
    /// <summary>A public identifier (logs, the invocation log); it cannot be used as a credential.</summary>
    public required string Id { get; init; }

    /// <summary>HMAC-SHA256 of the bearer token, lowercase hex: the key the store finds the session by.</summary>
    public required string TokenHash { get; init; }

    public required string ApiKeyId { get; init; }

    /// <summary>The <c>provider/model</c> used when a chat request names none.</summary>
    public string? BoundModel { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}
