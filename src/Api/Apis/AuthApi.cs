using System.Text.Json;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Chat;
using LlmRouter.Api.Errors;
using LlmRouter.Api.Json;
using LlmRouter.Grains.Access;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// Session login: POST /auth/login trades an API key for a session token, POST /auth/bind-model binds a model to
/// the session, POST /auth/logout ends it at once.
/// </summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth");
        // Login carries its key in the body, so it is the one /auth endpoint that needs no credential up front.
        auth.MapPost("/login", LoginAsync).AllowAnonymous();
        auth.MapPost("/bind-model", BindModelAsync);
        auth.MapPost("/logout", LogoutAsync);
        return app;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, ApiKeyDirectory keys, LoginSessions sessions, IRouterConfigSource config, CredentialGuessThrottle guesses)
    {
        // A locked-out address learns nothing and costs nothing: refused before its body is read.
        if (guesses.Blocked(http) is { } wait)
        {
            return ErrorWriter.Result(AccessErrors.TooManyInvalidCredentials(wait));
        }
        var (body, error) = await ChatBodyReader.ReadObjectAsync(http.Request, config.Current.Server.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorWriter.Result(error);
        }
        if (body!["api_key"] is not { } given || given.GetValueKind() != JsonValueKind.String || given.GetValue<string>().Length == 0)
        {
            return ErrorWriter.Result(ApiErrors.Invalid("api_key", "'api_key' is required: the API key to log in with."));
        }
        var key = await keys.FindBySecretAsync(given.GetValue<string>(), http.RequestAborted).ConfigureAwait(false);
        if (key is not { IsActive: true })
        {
            guesses.Failed(http);
            return ErrorWriter.Result(AccessErrors.InvalidCredential());
        }
        var (token, _) = await sessions.LoginAsync(key, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(
            new LoginResponse(token, (long)sessions.Ttl.TotalSeconds,
                "Logged in. Send this token as 'Authorization: Bearer <token>'; bind a model with POST /auth/bind-model."),
            AccessJsonContext.Default.LoginResponse);
    }

    private static async Task<IResult> BindModelAsync(HttpContext http, ModelCatalogSource catalog, LoginSessions sessions, IRouterConfigSource config)
    {
        var access = http.GetAccess();
        if (access is not { Session: { } session, Key: { } key })
        {
            return AuthError(AccessErrors.SessionRequired());
        }
        var (body, error) = await ChatBodyReader.ReadObjectAsync(http.Request, config.Current.Server.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorWriter.Result(error);
        }
        var provider = StringField(body!, "provider_name");
        var name = StringField(body!, "model_name");
        if (provider is null || name is null)
        {
            return ErrorWriter.Result(ApiErrors.Invalid(provider is null ? "provider_name" : "model_name", "'provider_name' and 'model_name' are required strings."));
        }
        var resolution = catalog.Current.Resolve($"{provider}/{name}");
        if (resolution.Model is not { } model)
        {
            return ErrorWriter.Result(ApiErrors.Resolution(resolution));
        }
        if (ApiKeyPolicy.CheckModel(key, model.Provider.Name, model.Id) is { } denied)
        {
            return ErrorWriter.Result(AccessErrors.Denied(denied));
        }
        if (await sessions.BindModelAsync(session, model.Id, http.RequestAborted).ConfigureAwait(false) is null)
        {
            return AuthError(AccessErrors.InvalidCredential());
        }
        return TypedResults.Json(
            new BindModelResponse($"Model {model.Id} is bound to the session.", model.Provider.Name, model.Model.Name),
            AccessJsonContext.Default.BindModelResponse);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, LoginSessions sessions)
    {
        if (http.GetAccess().Session is not { } session)
        {
            return AuthError(AccessErrors.SessionRequired());
        }
        await sessions.LogoutAsync(session, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(new MessageResponse("Logged out: the session token no longer works."), AccessJsonContext.Default.MessageResponse);
    }

    private static string? StringField(System.Text.Json.Nodes.JsonObject body, string name) =>
        body[name] is { } value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;

    private static IResult AuthError(ApiError error) => new AuthErrorResult(error);

    private sealed class AuthErrorResult(ApiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => AuthErrorWriter.WriteAsync(httpContext, error);
    }
}
