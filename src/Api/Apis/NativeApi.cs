using LlmRouter.Api.Auth;
using LlmRouter.Api.ClientFormats;
using LlmRouter.Api.ClientFormats.Native;
using LlmRouter.Api.ClientFormats.OpenAi;
using LlmRouter.Api.Monitoring;
using LlmRouter.Api.Pipeline;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// The seeds' native API: GET /models, POST /models/{provider}/{model}/invoke and the model-specific
/// POST /models/{provider}/{model}/v1/chat/completions. Model names may themselves contain '/'. A group (or any
/// name a client may call a model by) takes the place of provider/model: /models/{group}/invoke.
/// And POST /route/invoke, the seeds' tag routing: <c>{"query": {"tags", "provider_types"}, "request": {prompt|messages,
/// parameters}}</c> goes to the best active model having every tag (<see cref="ModelRanking"/>: priority, then
/// observed latency, then price), falling back to the next ones; the answer is the native invoke answer, naming
/// the model that served, plus the route. With routing turned off it answers 503.
/// </summary>
public static class NativeApi
{
    private const string InvokeSuffix = "/invoke";
    private const string ChatSuffix = "/v1/chat/completions";

    public static IEndpointRouteBuilder MapNativeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models", ListModels);
        app.MapPost("/models/{provider}/{**rest}", ModelCallAsync)
            .LogsRefusedCalls(request => request.Path.Value!.EndsWith(ChatSuffix, StringComparison.Ordinal) ? ClientFormatNames.OpenAi : ClientFormatNames.Native);
        app.MapPost("/route/invoke", (HttpContext http, ChatPipeline pipeline) => pipeline.RunAsync(http, RouteInvokeProtocol.Instance))
            .LogsRefusedCalls(ClientFormatNames.Native);
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

    private static Task ModelCallAsync(HttpContext http, string provider, string rest, ChatPipeline pipeline)
    {
        var path = "/" + rest;
        if (path.EndsWith(ChatSuffix, StringComparison.Ordinal))
        {
            return pipeline.RunAsync(http, new OpenAiProtocol(ModelName(provider, path, ChatSuffix)));
        }
        if (path.EndsWith(InvokeSuffix, StringComparison.Ordinal))
        {
            return pipeline.RunAsync(http, new NativeInvokeProtocol(ModelName(provider, path, InvokeSuffix)));
        }
        return ErrorWriter.WriteAsync(http, new ApiError(404, "invalid_request_error", $"No route for POST {http.Request.Path}.", Code: "not_found"));
    }

    /// <summary><c>provider/model</c> from /models/{provider}/{model}{suffix}, or the one segment of /models/{name}{suffix}.</summary>
    private static string ModelName(string first, string path, string suffix) =>
        path.Length == suffix.Length ? first : $"{first}/{path[1..^suffix.Length]}";
}
