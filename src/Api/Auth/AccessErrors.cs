using LlmRouter.Grains.Access;

namespace LlmRouter.Api.Auth;

/// <summary>The errors of authentication and key policy, in OpenAI's terms.</summary>
public static class AccessErrors
{
    public static ApiError MissingCredential() => new(401, "authentication_error",
        "Authentication required: send an API key or session token as 'Authorization: Bearer …', 'X-API-Key' or '?api_key='.",
        Code: "missing_api_key");

    public static ApiError InvalidCredential() => new(401, "authentication_error",
        "The API key or session token is not valid (unknown, disabled, expired or logged out).", Code: "invalid_api_key");

    public static ApiError TooManyInvalidCredentials(TimeSpan wait) => new(429, "rate_limit_error",
        "Too many invalid API keys or session tokens from this address; try again after the Retry-After delay.",
        Code: "too_many_invalid_credentials") { RetryAfter = wait };

    public static ApiError SessionRequired() => new(401, "authentication_error",
        "This endpoint needs a session token: log in with POST /auth/login and send the token as 'Authorization: Bearer …'.",
        Code: "session_required");

    public static ApiError AdminRequired() => new(403, "permission_error",
        "This endpoint needs an admin API key (or a local request under the localhost rule).", Code: "admin_required");

    public static ApiError Denied(AccessDenial denial) => denial.Reason switch
    {
        AccessDenialReason.InvalidParameter => new(400, "invalid_request_error", denial.Message, denial.Param, "invalid_value"),
        AccessDenialReason.ParameterNotAllowed => new(403, "permission_error", denial.Message, denial.Param, "parameter_not_allowed"),
        AccessDenialReason.ProviderNotAllowed => new(403, "permission_error", denial.Message, denial.Param, "provider_not_allowed"),
        _ => new(403, "permission_error", denial.Message, denial.Param, "model_not_allowed"),
    };
}
