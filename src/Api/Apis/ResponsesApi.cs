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
/// OpenAI's Responses API: POST /v1/responses through the chat pipeline (<see cref="ResponsesProtocol"/>), and
/// GET /v1/responses/{id} for a kept response, to the key that created it or an admin. Errors use OpenAI's shape.
/// </summary>
public static class ResponsesApi
{
    public static IEndpointRouteBuilder MapResponsesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/responses", CreateAsync).LogsRefusedCalls(ClientFormatNames.Responses);
        app.MapGet("/v1/responses/{id}", GetAsync);
        return app;
    }

    /// <summary>POST /v1/responses: the model comes from the body.</summary>
    public static Task CreateAsync(HttpContext http, ChatPipeline pipeline, IResponseStore store, TimeProvider time) =>
        pipeline.RunAsync(http, new ResponsesProtocol(store, time));

    /// <summary>GET /v1/responses/{id}: another key's response answers 404, as one that does not exist.</summary>
    private static async Task<IResult> GetAsync(string id, HttpContext http, IResponseStore store)
    {
        var found = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (found is null || !ResponsesProtocol.MayRead(http.GetAccess(), found))
        {
            return ErrorWriter.Result(ResponsesProtocol.NotFound(id));
        }
        return TypedResults.Text(found.Response, "application/json");
    }
}
