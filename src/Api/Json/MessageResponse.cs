namespace LlmRouter.Api.Json;

/// <summary>An answer that is only a message (POST /auth/logout).</summary>
public sealed record MessageResponse(string Message);
