using LlmRouter.Api.Auth;
using LlmRouter.Api.ClientFormats;
using LlmRouter.Api.ClientFormats.OpenAi;
using LlmRouter.Api.Monitoring;
using LlmRouter.Api.Pipeline;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>The OpenAI-compatible front door: /v1/chat/completions, /v1/embeddings and /v1/models.</summary>
public static class OpenAiApi
{
    public static IEndpointRouteBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/chat/completions", ChatCompletionsAsync).LogsRefusedCalls(ClientFormatNames.OpenAi);
        v1.MapPost("/embeddings", EmbeddingsAsync).LogsRefusedCalls(ClientFormatNames.OpenAi);
        v1.MapGet("/models", ListModels);
        return app;
    }

    /// <summary>POST /v1/chat/completions: the model comes from the body.</summary>
    public static Task ChatCompletionsAsync(HttpContext http, ChatPipeline pipeline) => pipeline.RunAsync(http, OpenAiProtocol.FromBody);

    /// <summary>POST /v1/embeddings: the model comes from the body and must compute embeddings.</summary>
    public static Task EmbeddingsAsync(HttpContext http, ChatPipeline pipeline) => pipeline.RunAsync(http, OpenAiEmbeddingsProtocol.Instance);

    /// <summary>GET /v1/models: the models the caller may call (a key limited to some providers or models sees only those).</summary>
    private static IResult ListModels(HttpContext http, ModelCatalogSource catalog, NodeInfo node)
    {
        var current = catalog.Current;
        var created = node.StartedAt.ToUnixTimeSeconds();
        var data = ModelViews.Visible(current.Models, http.GetAccess().Key).Select(m => ModelViews.OpenAi(m, created)).ToArray();
        return TypedResults.Json(new OpenAiModelList(data), ApiJsonContext.Default.OpenAiModelList);
    }
}
