using LlmRouter.Abstractions.Access;

namespace LlmRouter.Api.Auth.Keys;

/// <summary>A credential that checked out: an active key, and the session when the credential was a session token.</summary>
public sealed record ResolvedCredential(ApiKeyRecord Key, SessionRecord? Session);
