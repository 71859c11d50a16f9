using LlmRouter.Abstractions.Access;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Auth.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// Key management for admins: GET/POST /api-keys, GET/PATCH/DELETE /api-keys/{id}. A created key's secret is in
/// the creation answer only; keys from router.toml are listed but changed only in the file.
/// </summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api-keys").AddEndpointFilter<AdminOnlyFilter>();
        keys.MapGet("", ListAsync);
        keys.MapPost("", CreateAsync);
        keys.MapGet("/{id}", GetAsync);
        keys.MapPatch("/{id}", UpdateAsync);
        keys.MapDelete("/{id}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(ApiKeyDirectory keys, CancellationToken cancellationToken)
    {
        var all = await keys.ListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json<IReadOnlyList<ApiKeyView>>(all.Select(ApiKeyViews.From).ToArray(), ApiJsonContext.Default.IReadOnlyListApiKeyView);
    }

    private static async Task<IResult> GetAsync(string id, ApiKeyDirectory keys, CancellationToken cancellationToken) =>
        await keys.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } key
            ? TypedResults.Json(ApiKeyViews.From(key), ApiJsonContext.Default.ApiKeyView)
            : ErrorWriter.Result(NotFound(id));

    private static async Task<IResult> CreateAsync(HttpContext http, ApiKeyDirectory keys, IRouterConfigSource config)
    {
        var read = await DefinitionRequests.ReadAsync(http, config.Current.Server.MaxRequestBodyBytes, ApiKeyRequests.ParseNew).ConfigureAwait(false);
        if (!read.Ok)
        {
            return read.Problem;
        }
        var request = read.Value;
        var outcome = await keys.CreateAsync(request, http.RequestAborted).ConfigureAwait(false);
        return outcome is { Key: { } key, Secret: { } secret }
            ? JsonNodeResults.Json(ApiKeyViews.Created(key, secret), StatusCodes.Status201Created)
            : ErrorWriter.Result(Failure(outcome));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, ApiKeyDirectory keys, IRouterConfigSource config)
    {
        var read = await DefinitionRequests.ReadAsync(http, config.Current.Server.MaxRequestBodyBytes, ApiKeyRequests.ParseChanges).ConfigureAwait(false);
        if (!read.Ok)
        {
            return read.Problem;
        }
        var changes = read.Value;
        var outcome = await keys.UpdateAsync(id, changes, http.RequestAborted).ConfigureAwait(false);
        return outcome.Key is { } key ? TypedResults.Json(ApiKeyViews.From(key), ApiJsonContext.Default.ApiKeyView) : ErrorWriter.Result(Failure(outcome));
    }

    private static async Task<IResult> DeleteAsync(string id, ApiKeyDirectory keys, CancellationToken cancellationToken)
    {
        var outcome = await keys.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        return outcome.Key is null ? ErrorWriter.Result(Failure(outcome)) : TypedResults.NoContent();
    }

    private static ApiError NotFound(string id) => new(404, "invalid_request_error", $"No API key has the id '{id}'.", "id", "not_found");

    private static ApiError Failure(ApiKeyOutcome outcome) => outcome.Failure switch
    {
        ApiKeyFailure.NotFound => new(404, "invalid_request_error", outcome.Message!, "id", "not_found"),
        ApiKeyFailure.Conflict => new(409, "invalid_request_error", outcome.Message!, outcome.Param, "conflict"),
        ApiKeyFailure.ReadOnly => new(409, "invalid_request_error", outcome.Message!, "id", "defined_in_config"),
        _ => ApiErrors.Invalid(outcome.Param ?? "body", outcome.Message!),
    };
}
