using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Auth.Keys;
using LlmRouter.Api.Chat;
using LlmRouter.Api.Errors;
using LlmRouter.Api.Monitoring;
using LlmRouter.Grains.Access;
using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Routing;

/// <summary>
/// Routes a chat request on every chat path (OpenAI, model-specific, native invoke, Anthropic): rules when the
/// router toggle is on, groups, fallbacks, and the caller's key policy (candidates it may not use are dropped).
/// </summary>
public static class ChatRouting
{
    /// <summary>Plans where a request that names <paramref name="requested"/> goes; <see cref="Error"/> tells why it cannot go anywhere.</summary>
    public static RoutePlan RouteChat(this HttpContext http, string requested, JsonObject body)
    {
        RefusedCall.NoteRequested(http, requested);
        var services = http.RequestServices;
        return services.GetRequiredService<RoutePlanner>().Plan(new RouteQuery
        {
            Catalog = services.GetRequiredService<ModelCatalogSource>().Current,
            Requested = requested,
            Body = body,
            Rules = services.GetRequiredService<RoutingRuleSource>().Current,
            RoutingEnabled = services.GetRequiredService<RouterToggle>().IsEnabled,
            Allowed = Policy(http),
            MaxAttempts = services.GetRequiredService<IRouterConfigSource>().Current.Routing.MaxAttempts,
        });
    }

    /// <summary>The caller's key policy over models, or null when no key limits the call.</summary>
    public static Func<ResolvedModel, AccessDenial?>? Policy(HttpContext http) =>
        http.GetAccess().Key is { } key ? model => ApiKeyPolicy.CheckModel(key, model.Provider.Name, model.Id) : null;

    /// <summary>Why a plan has no candidate: the name did not resolve (404/400), or the key may use none of them (403).</summary>
    public static ApiError Error(RoutePlan plan) =>
        plan.Unresolved is { } unresolved ? ApiErrors.Resolution(unresolved)
        : plan.Denied is { } denied ? AccessErrors.Denied(denied)
        : new ApiError(404, "invalid_request_error", "No model can serve this request.", "model", "model_not_found");

    /// <summary>The invocation with the plan's candidates, group and rule.</summary>
    public static ChatInvocation Routed(this ChatInvocation invocation, RoutePlan plan) =>
        invocation with { Candidates = plan.Candidates, Group = plan.Group, Rule = plan.Rule };
}
