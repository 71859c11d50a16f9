using LlmRouter.Api.Auth;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// What of the invocation log a caller may see, as in LiteLLM's and new-api's user views: an admin (an admin key, or a
/// local caller under the localhost rule) sees every key's calls; any other key sees only its own.
/// </summary>
internal static class MonitoringScope
{
    /// <summary>The key id the caller's view is narrowed to; null when the caller sees every key's calls.</summary>
    public static string? ApiKeyId(HttpContext http)
    {
        var access = http.GetAccess();
        // A non-admin without a key never gets past authentication; were one to, it would see nothing.
        return access.IsAdmin ? null : access.Key?.Id ?? string.Empty;
    }

    /// <summary>
    /// The invocation list's <c>api_key</c> filter: none when absent or when it is the credential itself (sent as
    /// <c>?api_key=</c>); a 403 when a key that sees only its own calls names another key.
    /// </summary>
    public static string? ApiKeyFilter(HttpContext http, string? value, out ApiError? error)
    {
        error = null;
        var access = http.GetAccess();
        if (value is null || access.Key is not null && value == CredentialReader.Read(http.Request))
        {
            return null;
        }
        if (!access.IsAdmin && value != access.Key?.Id && value != access.Key?.Name)
        {
            error = new ApiError(403, "permission_error",
                "This key sees only its own invocations: 'api_key' may name only this key (an admin key sees every key's).",
                "api_key", "api_key_not_allowed");
        }
        return value;
    }
}
