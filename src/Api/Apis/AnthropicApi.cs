using LlmRouter.Api.ClientFormats;
using LlmRouter.Api.ClientFormats.Anthropic;
using LlmRouter.Api.Monitoring;
using LlmRouter.Api.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// The Anthropic-compatible front door, POST /v1/messages: any configured model answers in Anthropic's format
/// (<see cref="AnthropicProtocol"/>). Errors use Anthropic's shape.
/// </summary>
public static class AnthropicApi
{
    public static IEndpointRouteBuilder MapAnthropicApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/messages", MessagesAsync).LogsRefusedCalls(ClientFormatNames.Anthropic);
        // Other Messages endpoints (count_tokens, batches) are not served; their clients still get Anthropic's error shape.
        // The rest is not empty, so another method on /v1/messages itself is left to the 405 of UnmatchedRoutes.
        app.Map("/v1/messages/{**rest:minlength(1)}", (HttpContext http) => AnthropicErrors.WriteAsync(http,
            new ApiError(404, "not_found_error", $"Not served by this router: {http.Request.Method} {http.Request.Path}")));
        return app;
    }

    /// <summary>POST /v1/messages. The key may come as <c>x-api-key</c> or <c>Authorization: Bearer</c> (checked by the auth layer).</summary>
    public static Task MessagesAsync(HttpContext http, ChatPipeline pipeline) => pipeline.RunAsync(http, AnthropicProtocol.Instance);
}
