namespace LlmRouter.Api.Json;

/// <summary>POST /auth/login's answer: the session token (shown once), its lifetime in seconds and a hint.</summary>
public sealed record LoginResponse(string Token, long ExpiresIn, string Message);
