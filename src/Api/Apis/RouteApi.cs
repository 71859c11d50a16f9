using LlmRouter.Api.ClientFormats;
using LlmRouter.Api.ClientFormats.Native;
using LlmRouter.Api.Monitoring;
using LlmRouter.Api.Pipeline;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LlmRouter.Api.Apis;

/// <summary>
/// POST /route/invoke: the seeds' tag routing. <c>{"query": {"tags", "provider_types"}, "request": {prompt|messages,
/// parameters}}</c> goes to the best active model having every tag (<see cref="ModelRanking"/>: priority, then
/// observed latency, then price), falling back to the next ones; the answer is the native invoke answer, naming
/// the model that served, plus the route. With routing turned off it answers 503.
/// </summary>
public static class RouteApi
{
    public static IEndpointRouteBuilder MapRouteApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/route/invoke", InvokeAsync).LogsRefusedCalls(ClientFormatNames.Native);
        return app;
    }

    private static Task InvokeAsync(HttpContext http, ChatPipeline pipeline) => pipeline.RunAsync(http, RouteInvokeProtocol.Instance);
}
