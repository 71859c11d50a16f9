using LlmRouter.Abstractions.Access;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Auth.Keys;
using LlmRouter.Api.Chat;
using LlmRouter.Grains.Limits;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// Session login: POST /auth/login trades an API key for a session token, POST /auth/bind-model binds a model to
/// the session, POST /auth/logout ends it at once; GET /auth/me says who the credential (or its absence) makes the caller.
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
        auth.MapGet("/me", WhoAmI);
        return app;
    }

    private static async Task<IResult> WhoAmI(HttpContext http, IGrainFactory grains)
    {
        var access = http.GetAccess();
        var session = access.Session;
        BudgetStatusView? budget = null;
        if (access.Key is { Budget: { } limit } key)
        {
            var status = await grains.GetGrain<IApiKeyGrain>(key.Id).GetBudgetAsync(BudgetPeriods.Parse(limit.Period), http.RequestAborted).ConfigureAwait(false);
            budget = new BudgetStatusView(BudgetPeriods.Name(status.Period), limit.LimitUsd, status.SpentUsd, status.ReservedUsd,
                Math.Max(0m, limit.LimitUsd - status.SpentUsd - status.ReservedUsd), status.PeriodEnd);
        }
        return TypedResults.Json(
            new WhoAmIResponse(access.Key?.Id, access.Key?.Name, access.Key?.Role, access.IsAdmin, access.Identity.IsLocal,
                access.CredentialOptional, session?.Id, session?.ExpiresAt, session?.BoundModel, budget),
            ApiJsonContext.Default.WhoAmIResponse);
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
            await guesses.FailedAsync(http).ConfigureAwait(false);
            return ErrorWriter.Result(AccessErrors.InvalidCredential());
        }
        var (token, _) = await sessions.LoginAsync(key, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(
            new LoginResponse(token, (long)sessions.Ttl.TotalSeconds,
                "Logged in. Send this token as 'Authorization: Bearer <token>'; bind a model with POST /auth/bind-model."),
            ApiJsonContext.Default.LoginResponse);
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
        if (name is null || (body!["provider_name"] is not null && provider is null))
        {
            return ErrorWriter.Result(ApiErrors.Invalid(name is null ? "model_name" : "provider_name",
                "'model_name' is required: a model of 'provider_name', or a model group's name alone."));
        }
        var current = catalog.Current;
        var resolution = current.Resolve(provider is null ? name : $"{provider}/{name}");
        if (resolution.Model is not { } model)
        {
            return ErrorWriter.Result(ApiErrors.Resolution(resolution));
        }
        if (resolution.Group is { } group)
        {
            return await BindGroupAsync(http, current, group, session, key, sessions).ConfigureAwait(false);
        }
        if (ApiKeyPolicy.CheckModel(key, model.Provider.Name, model.Id) is { } denied)
        {
            return ErrorWriter.Result(AccessErrors.Denied(denied));
        }
        return await BindAsync(http, sessions, session, model.Id,
            new BindModelResponse($"Model {model.Id} is bound to the session.", model.Provider.Name, model.Model.Name)).ConfigureAwait(false);
    }

    /// <summary>A group is bound by name, so each request is balanced over its members; the key must be allowed at least one.</summary>
    private static async Task<IResult> BindGroupAsync(
        HttpContext http, ModelCatalog catalog, ModelGroupConfig group, SessionRecord session, ApiKeyRecord key, LoginSessions sessions)
    {
        var members = catalog.Members(group);
        if (members.All(m => ApiKeyPolicy.CheckModel(key, m.Provider.Name, m.Id) is not null))
        {
            return ErrorWriter.Result(new ApiError(403, "permission_error",
                $"This API key may not use any member of the model group '{group.Name}'.", "model_name", "model_not_allowed"));
        }
        return await BindAsync(http, sessions, session, group.Name,
            new BindModelResponse($"Model group {group.Name} is bound to the session.", null, group.Name)).ConfigureAwait(false);
    }

    private static async Task<IResult> BindAsync(HttpContext http, LoginSessions sessions, SessionRecord session, string bound, BindModelResponse answer) =>
        await sessions.BindModelAsync(session, bound, http.RequestAborted).ConfigureAwait(false) is null
            ? AuthError(AccessErrors.InvalidCredential())
            : TypedResults.Json(answer, ApiJsonContext.Default.BindModelResponse);

    private static async Task<IResult> LogoutAsync(HttpContext http, LoginSessions sessions)
    {
        if (http.GetAccess().Session is not { } session)
        {
            return AuthError(AccessErrors.SessionRequired());
        }
        await sessions.LogoutAsync(session, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(new MessageResponse("Logged out: the session token no longer works."), ApiJsonContext.Default.MessageResponse);
    }

    private static string? StringField(System.Text.Json.Nodes.JsonObject body, string name) =>
        body[name] is { } value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;

    private static IResult AuthError(ApiError error) => new AuthErrorResult(error);

    private sealed class AuthErrorResult(ApiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => AuthErrorWriter.WriteAsync(httpContext, error);
    }
}
