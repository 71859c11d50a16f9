namespace LlmRouter.Api.Json;

/// <summary>
/// GET /auth/me's answer: the key behind the request's credential (none for a local request that presented none),
/// its role, whether the caller may manage the node, whether it is local, the session when one is in use, and the
/// key's budget in its current period when it has one (a user key's own "my usage").
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
    string? BoundModel,
    BudgetStatusView? Budget);
