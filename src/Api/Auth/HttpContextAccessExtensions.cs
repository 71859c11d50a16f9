using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Auth;

/// <summary>Reads what the authentication middleware attached to a request, from any endpoint.</summary>
public static class HttpContextAccessExtensions
{
    /// <summary>The caller to record on invocations (anonymous on endpoints that skip authentication).</summary>
    public static CallerIdentity GetCaller(this HttpContext http) => http.GetAccess().Identity;

    public static CallerAccess GetAccess(this HttpContext http) => http.Features.Get<CallerAccess>() ?? CallerAccess.Unauthenticated;

    internal static void SetAccess(this HttpContext http, CallerAccess access) => http.Features.Set(access);
}
