namespace LlmRouter.Api.Json;

/// <summary>
/// GET /auth/me's answer: the key behind the request's credential (none for a local request that presented none),
/// its role, whether the caller may manage the node, whether it is local, and the session when one is in use.
/// </summary>
public sealed record WhoAmIResponse(
    string? KeyId,
    string? KeyName,
    string? Role,
    bool IsAdmin,
    bool IsLocal,
    bool CredentialOptional,
    string? SessionId,
    DateTimeOffset? SessionExpiresAt,
    string? BoundModel);
