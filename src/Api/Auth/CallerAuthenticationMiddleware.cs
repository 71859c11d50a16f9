using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Auth.Keys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Auth;

/// <summary>
/// Authenticates every request except endpoints marked <see cref="IAllowAnonymous"/> (POST /auth/login, the
/// console's files); endpoints marked <see cref="CallerOptionalMetadata"/> (GET /health) are read but never refused.
/// Reads the credential, applies the localhost rule and LLM_ROUTER_REQUIRE_AUTH, and attaches a
/// <see cref="CallerAccess"/> for endpoints to read (<c>http.GetCaller()</c>). Credentials are never logged.
/// </summary>
public sealed partial class CallerAuthenticationMiddleware(
    RequestDelegate next, CredentialResolver credentials, ApiKeyDirectory keys, IRouterConfigSource config, CredentialGuessThrottle guesses,
    ILogger<CallerAuthenticationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await next(http).ConfigureAwait(false);
            return;
        }
        var refuses = endpoint?.Metadata.GetMetadata<CallerOptionalMetadata>() is null;
        var server = config.Current.Server;
        var isLocal = LocalRequest.IsLocal(http) && !BrowserRequestGuard.IsCrossSite(http);
        var optional = !server.RequireAuth || isLocal && server.LocalhostBypass;
        var credential = CredentialReader.Read(http.Request);
        ResolvedCredential? resolved = null;
        if (credential is not null)
        {
            // Guessing only pays where a credential is required; where it is optional (auth off, or the localhost
            // rule) an invalid one is simply anonymous, as clients that must send some key often send a dummy.
            if (!optional && guesses.Blocked(http) is { } wait)
            {
                if (refuses)
                {
                    LogRefused(logger, http.Request.Method, http.Request.Path, "too many invalid credentials from this address");
                    await AuthErrorWriter.WriteAsync(http, AccessErrors.TooManyInvalidCredentials(wait)).ConfigureAwait(false);
                    return;
                }
            }
            else
            {
                resolved = await credentials.ResolveAsync(credential, http.RequestAborted).ConfigureAwait(false);
                if (resolved is null && !optional)
                {
                    await guesses.FailedAsync(http).ConfigureAwait(false);
                }
            }
        }
        if (resolved is null && !optional && refuses)
        {
            LogRefused(logger, http.Request.Method, http.Request.Path, credential is null ? "no credential" : "invalid credential");
            await AuthErrorWriter.WriteAsync(http, credential is null ? AccessErrors.MissingCredential() : AccessErrors.InvalidCredential()).ConfigureAwait(false);
            return;
        }
        http.SetAccess(new CallerAccess
        {
            Identity = new CallerIdentity
            {
                ApiKeyId = resolved?.Key.Id,
                ApiKeyName = resolved?.Key.Name,
                SessionId = resolved?.Session?.Id,
                Role = resolved?.Key.Role,
                IsLocal = isLocal,
            },
            Key = resolved?.Key,
            Session = resolved?.Session,
            CredentialOptional = optional,
        });
        if (resolved is not null)
        {
            _ = RecordUseAsync(resolved);
        }
        await next(http).ConfigureAwait(false);
    }

    /// <summary>Off the request path: a slow or failing store must not delay or fail the call itself.</summary>
    private async Task RecordUseAsync(ResolvedCredential resolved)
    {
        try
        {
            await keys.RecordUseAsync(resolved.Key).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogUseNotRecorded(logger, exception, resolved.Key.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the use of API key {KeyId}")]
    private static partial void LogUseNotRecorded(ILogger logger, Exception exception, string keyId);
}
