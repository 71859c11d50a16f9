using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Auth.Keys;
using LlmRouter.Api.Chat;
using LlmRouter.Api.Errors;
using LlmRouter.Api.Monitoring;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Auth;

/// <summary>
/// Applies the caller's key policy to a chat call before it goes upstream, on every chat path (OpenAI, native,
/// Anthropic): the model must be allowed, parameters are clamped in the canonical body, and a session that
/// names a model gets it bound.
/// </summary>
public static class ChatAccess
{
    /// <summary>The model bound to the caller's session, used when a chat request names none.</summary>
    public static string? GetSessionModel(this HttpContext http) => http.GetAccess().Session?.BoundModel;

    /// <summary>The invocation for an authorized call: the caller, and the response pipeline their key names.</summary>
    public static ChatInvocation CreateInvocation(this HttpContext http, ResolvedModel model, JsonObject body, string clientFormat) =>
        new(model, body, clientFormat) { Caller = http.GetCaller(), Pipeline = http.GetAccess().Key?.Pipeline };

    /// <summary>
    /// Clamps a request that goes upstream in its client's own format (Anthropic to Claude): it uses the same
    /// parameter names, so the key's limits apply to it exactly as to the canonical body.
    /// </summary>
    public static ApiError? ClampNative(HttpContext http, JsonObject request) =>
        http.GetAccess().Key is { } key && (ApiKeyPolicy.CheckPricedFields(key, request) ?? ApiKeyPolicy.Clamp(key.ParameterLimits, request)) is { } denied
            ? AccessErrors.Denied(denied)
            : null;

    /// <summary>
    /// Null when the call may proceed (with <paramref name="body"/> clamped in place); otherwise the error to answer
    /// with. <paramref name="modelNamed"/> says the request itself named the model, which binds it to the session
    /// (as <paramref name="bindAs"/> when given: the group the client named rather than the member that serves).
    /// </summary>
    public static async ValueTask<ApiError?> AuthorizeAsync(HttpContext http, ResolvedModel model, JsonObject body, bool modelNamed, string? bindAs = null)
    {
        RefusedCall.NoteModel(http, model);
        var access = http.GetAccess();
        if (access.Key is not { } key)
        {
            return null;
        }
        var denied = ApiKeyPolicy.CheckModel(key, model.Provider.Name, model.Id)
            ?? ApiKeyPolicy.CheckPricedFields(key, body)
            ?? ApiKeyPolicy.Clamp(key.ParameterLimits, body);
        if (denied is not null)
        {
            return AccessErrors.Denied(denied);
        }
        var binding = bindAs ?? model.Id;
        if (modelNamed && access.Session is { } session && session.BoundModel != binding)
        {
            var sessions = http.RequestServices.GetRequiredService<LoginSessions>();
            if (await sessions.BindModelAsync(session, binding, http.RequestAborted).ConfigureAwait(false) is { } bound)
            {
                http.SetAccess(access with { Session = bound });
            }
        }
        return null;
    }
}
