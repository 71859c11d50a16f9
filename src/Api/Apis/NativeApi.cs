using System.Text.Json;
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

/// <summary>
/// The seeds' native API: GET /models, POST /models/{provider}/{model}/invoke and the model-specific
/// POST /models/{provider}/{model}/v1/chat/completions. Model names may themselves contain '/'. A group (or any
/// name a client may call a model by) takes the place of provider/model: /models/{group}/invoke.
/// </summary>
public static class NativeApi
{
    private const string InvokeSuffix = "/invoke";
    private const string ChatSuffix = "/v1/chat/completions";

    public static IEndpointRouteBuilder MapNativeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models", ListModels);
        app.MapPost("/models/{provider}/{**rest}", ModelCallAsync)
            .LogsRefusedCalls(request => request.Path.Value!.EndsWith(ChatSuffix, StringComparison.Ordinal) ? ClientFormats.OpenAi : ClientFormats.Native);
        return app;
    }

    /// <summary>Filtered by tag or provider type, the list is in POST /route/invoke's order of preference (its first is the route's pick).</summary>
    private static IResult ListModels(HttpRequest request, ModelCatalogSource catalog, IModelLatencies latencies)
    {
        var key = request.HttpContext.GetAccess().Key;
        var query = new TagQuery
        {
            Catalog = catalog.Current,
            Tags = request.Query["tag"].Where(t => !string.IsNullOrEmpty(t)).ToArray()!,
            ProviderTypes = request.Query["provider_type"].Where(t => !string.IsNullOrEmpty(t)).ToArray()!,
        };
        var fitting = ModelViews.Visible(query.Catalog.Models, key).Where(query.Fits);
        var models = (query.Tags.Count > 0 || query.ProviderTypes.Count > 0 ? ModelRanking.Rank(fitting, latencies) : fitting)
            .Select(ModelViews.Native)
            .ToArray();
        return TypedResults.Json<IReadOnlyList<ModelView>>(models, ApiJsonContext.Default.IReadOnlyListModelView);
    }

    private static Task ModelCallAsync(HttpContext http, string provider, string rest, ModelCatalogSource catalog, ChatInvoker invoker, IRouterConfigSource config)
    {
        var path = "/" + rest;
        if (path.EndsWith(ChatSuffix, StringComparison.Ordinal))
        {
            return OpenAiApi.HandleChatAsync(http, ModelName(provider, path, ChatSuffix), catalog, invoker, config);
        }
        if (path.EndsWith(InvokeSuffix, StringComparison.Ordinal))
        {
            return InvokeAsync(http, ModelName(provider, path, InvokeSuffix), catalog, invoker, config);
        }
        return ErrorWriter.WriteAsync(http, new ApiError(404, "invalid_request_error", $"No route for POST {http.Request.Path}.", Code: "not_found"));
    }

    /// <summary><c>provider/model</c> from /models/{provider}/{model}{suffix}, or the one segment of /models/{name}{suffix}.</summary>
    private static string ModelName(string first, string path, string suffix) =>
        path.Length == suffix.Length ? first : $"{first}/{path[1..^suffix.Length]}";

    /// <summary>The seed's invoke format: <c>prompt</c> or <c>messages</c>, plus <c>parameters</c>; answers text, usage and the raw response.</summary>
    private static async Task InvokeAsync(HttpContext http, string modelId, ModelCatalogSource catalog, ChatInvoker invoker, IRouterConfigSource config)
    {
        var (input, readError) = await ChatBodyReader.ReadObjectAsync(http.Request, config.Current.Server.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (readError is not null)
        {
            await ErrorWriter.WriteAsync(http, readError).ConfigureAwait(false);
            return;
        }
        if (ToChatBody(input!, modelId) is not { } body)
        {
            await ErrorWriter.WriteAsync(http, ApiErrors.Invalid("prompt", "Give either a string 'prompt' or a non-empty 'messages' array, and 'parameters' as an object.")).ConfigureAwait(false);
            return;
        }
        if (ChatBodyReader.ValidateChat(body, modelRequired: false) is { } invalid)
        {
            await ErrorWriter.WriteAsync(http, invalid).ConfigureAwait(false);
            return;
        }
        var route = http.RouteChat(modelId, body);
        if (route.First is not { } model)
        {
            await ErrorWriter.WriteAsync(http, ChatRouting.Error(route)).ConfigureAwait(false);
            return;
        }
        if (await ChatAccess.AuthorizeAsync(http, model, body, modelNamed: route.Named is not null, route.Named).ConfigureAwait(false) is { } denied)
        {
            await ErrorWriter.WriteAsync(http, denied).ConfigureAwait(false);
            return;
        }
        body["model"] = model.Model.UpstreamName;
        if (await LimitGate.AdmitAsync(http, http.CreateInvocation(model, body, ClientFormats.Native).Routed(route)).ConfigureAwait(false) is not { } invocation)
        {
            return;
        }
        var started = TimeProvider.System.GetTimestamp();
        var (result, servedBy) = await invoker.CompleteRoutedAsync(invocation, http.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            await ErrorWriter.WriteAsync(http, ApiErrors.FromUpstream(error)).ConfigureAwait(false);
            return;
        }
        var answer = InvokeAnswer.Build(result, servedBy, (long)TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, answer, ApiJsonContext.Default.InvokeResponse, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The canonical chat body of the seed's invoke format, or null when the input is not one.</summary>
    internal static JsonObject? ToChatBody(JsonObject input, string upstreamModel)
    {
        JsonArray messages;
        if (input["messages"] is JsonArray given)
        {
            messages = (JsonArray)given.DeepClone();
        }
        else if (input["prompt"] is JsonValue prompt && prompt.GetValueKind() == JsonValueKind.String)
        {
            messages = [new JsonObject { ["role"] = "user", ["content"] = prompt.GetValue<string>() }];
        }
        else
        {
            return null;
        }
        var body = new JsonObject { ["model"] = upstreamModel, ["messages"] = messages };
        if (input["parameters"] is { } parameters)
        {
            if (parameters is not JsonObject values)
            {
                return null;
            }
            foreach (var (name, value) in values)
            {
                if (name is not ("model" or "messages" or "stream" or "stream_options"))
                {
                    body[name] = value?.DeepClone();
                }
            }
        }
        return body;
    }
}
