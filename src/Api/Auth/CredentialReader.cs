namespace LlmRouter.Api.Auth;

/// <summary>
/// Finds the credential a request presents, in this order: <c>Authorization: Bearer</c>, <c>X-API-Key</c>,
/// <c>?api_key=</c>. Each may hold an API key or a session token.
/// </summary>
public static class CredentialReader
{
    private const string BearerScheme = "Bearer ";

    public static string? Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase) && authorization[BearerScheme.Length..].Trim() is { Length: > 0 } bearer)
        {
            return bearer;
        }
        if (request.Headers["X-API-Key"].ToString().Trim() is { Length: > 0 } header)
        {
            return header;
        }
        return request.Query["api_key"].ToString() is { Length: > 0 } query ? query : null;
    }
}
