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
using LlmRouter.Grains.Catalog;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        app.MapPost("/route/invoke", InvokeAsync).LogsRefusedCalls(ClientFormats.Native);
        return app;
    }

    private static async Task InvokeAsync(HttpContext http, RoutePlanner planner, ModelCatalogSource catalog, RouterToggle toggle, ChatInvoker invoker, IRouterConfigSource config)
    {
        var settings = config.Current;
        var (input, readError) = await ChatBodyReader.ReadObjectAsync(http.Request, settings.Server.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (readError is not null)
        {
            await ErrorWriter.WriteAsync(http, readError).ConfigureAwait(false);
            return;
        }
        IReadOnlyList<string> tags, types;
        try
        {
            var fields = new JsonFields(input!);
            var query = fields.Object("query") ?? throw new DefinitionException("query", "'query' is required: an object with 'tags' (and optionally 'provider_types').");
            tags = query.StringList("tags") ?? [];
            types = query.StringList("provider_types") ?? [];
            query.RejectUnknown();
        }
        catch (DefinitionException exception)
        {
            await ErrorWriter.WriteAsync(http, ApiErrors.Invalid(exception.Param ?? "query", exception.Message)).ConfigureAwait(false);
            return;
        }
        if (input!["request"] is not JsonObject request || NativeApi.ToChatBody(request, "") is not { } body)
        {
            await ErrorWriter.WriteAsync(http, ApiErrors.Invalid("request", "'request' must be an object with a string 'prompt' or a non-empty 'messages' array, and 'parameters' as an object.")).ConfigureAwait(false);
            return;
        }
        if (ChatBodyReader.ValidateChat(body, modelRequired: false) is { } invalid)
        {
            await ErrorWriter.WriteAsync(http, invalid).ConfigureAwait(false);
            return;
        }
        if (!toggle.IsEnabled)
        {
            await ErrorWriter.WriteAsync(http, new ApiError(503, "routing_disabled",
                "Routing is turned off (GET /router/status), so tags choose no model; name the model instead, e.g. POST /models/{provider}/{model}/invoke.",
                Code: "routing_disabled")).ConfigureAwait(false);
            return;
        }
        var plan = planner.PlanTags(new TagQuery
        {
            Catalog = catalog.Current,
            Tags = tags,
            ProviderTypes = types,
            Allowed = ChatRouting.Policy(http),
            MaxAttempts = settings.Routing.MaxAttempts,
        });
        if (plan.First is not { } model)
        {
            await ErrorWriter.WriteAsync(http, plan.Denied is not null ? ChatRouting.Error(plan) : new ApiError(404, "invalid_request_error",
                $"No active model has all of the tags [{string.Join(", ", tags)}]{(types.Count > 0 ? $" and one of the provider types [{string.Join(", ", types)}]" : "")}.",
                "query", "model_not_found")).ConfigureAwait(false);
            return;
        }
        if (await ChatAccess.AuthorizeAsync(http, model, body, modelNamed: false).ConfigureAwait(false) is { } denied)
        {
            await ErrorWriter.WriteAsync(http, denied).ConfigureAwait(false);
            return;
        }
        body["model"] = model.Model.UpstreamName;
        if (await LimitGate.AdmitAsync(http, http.CreateInvocation(model, body, ClientFormats.Native).Routed(plan)).ConfigureAwait(false) is not { } invocation)
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
        var candidates = plan.Candidates.Select(c => c.Id).ToArray();
        var route = new RouteView(tags, types, candidates, Array.IndexOf(candidates, servedBy.Id) + 1);
        var response = new RouteInvokeResponse(answer.Model, answer.Provider, answer.OutputText, answer.FinishReason, answer.Usage, answer.LatencyMs, route, answer.Raw);
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, response, RoutingJsonContext.Default.RouteInvokeResponse, http.RequestAborted).ConfigureAwait(false);
    }
}
