namespace LlmRouter.Abstractions.Invocations;

/// <summary>Who made a call: the API key (by id and name, never the secret), the session, and whether it was local.</summary>
public sealed record CallerIdentity
{
    public static CallerIdentity Anonymous { get; } = new();

    public string? ApiKeyId { get; init; }
    public string? ApiKeyName { get; init; }
    public string? SessionId { get; init; }
    public string? Role { get; init; }

    /// <summary>True when the request came from this machine without passing through a proxy.</summary>
    public bool IsLocal { get; init; }
}
