using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Chat;
using LlmRouter.Api.Errors;
using LlmRouter.Api.Json;
using LlmRouter.Api.Limits;
using LlmRouter.Api.Monitoring;
using LlmRouter.Api.Routing;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>The OpenAI-compatible front door: /v1/chat/completions and /v1/models.</summary>
public static class OpenAiApi
{
    public static IEndpointRouteBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/chat/completions", ChatCompletionsAsync).LogsRefusedCalls(ClientFormats.OpenAi);
        v1.MapGet("/models", ListModels);
        return app;
    }

    /// <summary>POST /v1/chat/completions: the model comes from the body.</summary>
    public static Task ChatCompletionsAsync(HttpContext http, ModelCatalogSource catalog, ChatInvoker invoker, IRouterConfigSource config) =>
        HandleChatAsync(http, pathModel: null, catalog, invoker, config);

    /// <summary>Handles a chat-completions call; <paramref name="pathModel"/> (from a model-specific URL) wins over the body's model.</summary>
    public static async Task HandleChatAsync(HttpContext http, string? pathModel, ModelCatalogSource catalog, ChatInvoker invoker, IRouterConfigSource config)
    {
        var (body, readError) = await ChatBodyReader.ReadObjectAsync(http.Request, config.Current.Server.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (readError is not null)
        {
            await ErrorWriter.WriteAsync(http, readError).ConfigureAwait(false);
            return;
        }
        if (ChatBodyReader.ValidateChat(body!, modelRequired: pathModel is null && http.GetSessionModel() is null) is { } invalid)
        {
            await ErrorWriter.WriteAsync(http, invalid).ConfigureAwait(false);
            return;
        }
        var named = pathModel ?? body!["model"]?.GetValue<string>();
        var route = http.RouteChat(named ?? http.GetSessionModel()!, body!);
        if (route.First is not { } model)
        {
            await ErrorWriter.WriteAsync(http, ChatRouting.Error(route)).ConfigureAwait(false);
            return;
        }
        if (await ChatAccess.AuthorizeAsync(http, model, body!, modelNamed: named is not null && route.Named is not null, route.Named).ConfigureAwait(false) is { } denied)
        {
            await ErrorWriter.WriteAsync(http, denied).ConfigureAwait(false);
            return;
        }
        body!["model"] = model.Model.UpstreamName;
        var invocation = http.CreateInvocation(model, body, ClientFormats.OpenAi).Routed(route);
        if (await LimitGate.AdmitAsync(http, invocation).ConfigureAwait(false) is not { } admitted)
        {
            return;
        }
        invocation = admitted;
        if (body["stream"] is JsonValue stream && stream.GetValue<bool>())
        {
            var clientWantsUsage = OpenAiStreamEncoder.RequestUsage(body);
            await invoker.StreamAsync(http, invocation, new OpenAiStreamEncoder(clientWantsUsage)).ConfigureAwait(false);
            return;
        }
        var result = await invoker.CompleteAsync(invocation, http.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            await ErrorWriter.WriteAsync(http, ApiErrors.FromUpstream(error)).ConfigureAwait(false);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = result.Body.Length;
        await http.Response.Body.WriteAsync(result.Body, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>GET /v1/models: the models the caller may call (a key limited to some providers or models sees only those).</summary>
    private static IResult ListModels(HttpContext http, ModelCatalogSource catalog, NodeInfo node)
    {
        var current = catalog.Current;
        var created = node.StartedAt.ToUnixTimeSeconds();
        var data = ModelViews.Visible(current.Models, http.GetAccess().Key).Select(m => ModelViews.OpenAi(m, created)).ToArray();
        return TypedResults.Json(new OpenAiModelList(data), ApiJsonContext.Default.OpenAiModelList);
    }
}
