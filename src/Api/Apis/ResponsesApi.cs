using LlmRouter.Abstractions.Responses;
using LlmRouter.Api.Auth;
using LlmRouter.Api.ClientFormats;
using LlmRouter.Api.ClientFormats.Responses;
using LlmRouter.Api.Monitoring;
using LlmRouter.Api.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// OpenAI's Responses API: POST /v1/responses through the chat pipeline (<see cref="ResponsesProtocol"/>), and for a
/// kept response GET /v1/responses/{id}, DELETE /v1/responses/{id} and GET /v1/responses/{id}/input_items, to the key
/// that created it or an admin; to any other caller it does not exist. Errors use OpenAI's shape.
/// </summary>
public static class ResponsesApi
{
    public static IEndpointRouteBuilder MapResponsesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/responses", CreateAsync).LogsRefusedCalls(ClientFormatNames.Responses);
        app.MapGet("/v1/responses/{id}", GetAsync);
        app.MapDelete("/v1/responses/{id}", DeleteAsync);
        app.MapGet("/v1/responses/{id}/input_items", ListInputItemsAsync);
        return app;
    }

    /// <summary>POST /v1/responses: the model comes from the body.</summary>
    public static Task CreateAsync(HttpContext http, ChatPipeline pipeline, IResponseStore store, TimeProvider time) =>
        pipeline.RunAsync(http, new ResponsesProtocol(store, time));

    private static async Task<IResult> GetAsync(string id, HttpContext http, IResponseStore store) =>
        await FindAsync(id, http, store).ConfigureAwait(false) is { } found
            ? TypedResults.Text(found.Response, "application/json")
            : NotFound(id);

    /// <summary>DELETE /v1/responses/{id}: afterwards it can be neither read nor continued.</summary>
    private static async Task<IResult> DeleteAsync(string id, HttpContext http, IResponseStore store)
    {
        if (await FindAsync(id, http, store).ConfigureAwait(false) is null
            || !await store.DeleteAsync(id, http.RequestAborted).ConfigureAwait(false))
        {
            return NotFound(id);
        }
        return Json(new JsonObject { ["id"] = id, ["object"] = "response", ["deleted"] = true });
    }

    /// <summary>GET /v1/responses/{id}/input_items: the items of the conversation that led to the response, a page at a time.</summary>
    private static async Task<IResult> ListInputItemsAsync(string id, HttpContext http, IResponseStore store)
    {
        var (query, invalid) = InputItemsQuery.Read(http.Request.Query);
        if (invalid is not null)
        {
            return ErrorWriter.Result(invalid);
        }
        if (await FindAsync(id, http, store).ConfigureAwait(false) is not { } found)
        {
            return NotFound(id);
        }
        var (list, error) = query!.Page(KeptInputItems.Of(found), id);
        return error is null ? Json(list!) : ErrorWriter.Result(error);
    }

    /// <summary>The kept response, when the caller may see it: another key's is as missing as one never kept.</summary>
    private static async Task<StoredResponse?> FindAsync(string id, HttpContext http, IResponseStore store)
    {
        var found = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        return found is not null && ResponsesProtocol.MayRead(http.GetAccess(), found) ? found : null;
    }

    private static IResult NotFound(string id) => ErrorWriter.Result(ResponsesProtocol.NotFound(id));

    private static IResult Json(JsonObject body) => TypedResults.Bytes(JsonBytes.Of(body), "application/json");
}
