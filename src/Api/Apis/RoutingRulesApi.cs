using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Routing;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Cluster;
using LlmRouter.Api.Routing;
using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Apis;

/// <summary>
/// Routing rules for admins: GET /router/rules (every rule in evaluation order), POST /router/rules (create or
/// replace by name), DELETE /router/rules/{name}. Rules defined here are kept in the store and reach every node;
/// router.toml wins for the names it defines.
/// </summary>
public static class RoutingRulesApi
{
    public static IEndpointRouteBuilder MapRoutingRulesApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/router/rules").AddEndpointFilter<AdminOnlyFilter>();
        admin.MapGet("", List);
        admin.MapPost("", UpsertAsync);
        admin.MapDelete("/{name}", DeleteAsync);
        return app;
    }

    private static IResult List(RoutingRuleSource rules) =>
        JsonNodeResults.Json(new JsonArray(rules.Current.All.Select(r => (JsonNode?)View(r.Config, r.FromFile)).ToArray()));

    private static async Task<IResult> UpsertAsync(
        HttpContext http, RoutingRuleSource rules, IRoutingRuleStore store, ModelCatalogSource catalog, TimeProvider time, ILogger<RoutingRuleSource> logger)
    {
        var read = await DefinitionRequests.ReadAsync(http, catalog.Current.Config.Server.MaxRequestBodyBytes, RuleDefinitions.Parse).ConfigureAwait(false);
        if (!read.Ok)
        {
            return read.Problem;
        }
        var rule = read.Value;
        if (rules.FileRules.Any(r => r.Name == rule.Name))
        {
            return ErrorWriter.Result(DefinedInFile(rule.Name));
        }
        if (UnknownTarget(catalog.Current, rule.Action) is { } unknown)
        {
            return ErrorWriter.Result(unknown);
        }
        var json = RuleDefinitions.ToJson(rule);
        var (_, created) = await store.UpsertAsync(rule.Name, json.ToJsonString(), time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
        await RoutingRefreshService.RefreshRulesAsync(rules, logger, http.RequestAborted).ConfigureAwait(false);
        await ClusterAnnouncements.PublishAsync(http, ClusterTopic.Rules).ConfigureAwait(false);
        return JsonNodeResults.Json(View(rule, fromFile: false), created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> DeleteAsync(string name, HttpContext http, RoutingRuleSource rules, IRoutingRuleStore store, TimeProvider time, ILogger<RoutingRuleSource> logger)
    {
        if (rules.FileRules.Any(r => r.Name == name))
        {
            return ErrorWriter.Result(DefinedInFile(name));
        }
        if (!await store.DeleteAsync(name, time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false))
        {
            return ErrorWriter.Result(new ApiError(404, "invalid_request_error", $"No routing rule '{name}' was defined over REST.", "name", "rule_not_found"));
        }
        await RoutingRefreshService.RefreshRulesAsync(rules, logger, http.RequestAborted).ConfigureAwait(false);
        await ClusterAnnouncements.PublishAsync(http, ClusterTopic.Rules).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>A rule must name something that exists now (it is skipped later if its target goes away).</summary>
    private static ApiError? UnknownTarget(ModelCatalog catalog, RoutingRuleAction action)
    {
        var param = "action." + action.Kind;
        return action.Kind switch
        {
            RoutingRuleActions.UseGroup when catalog.Group(action.Target) is null =>
                ApiErrors.Invalid(param, $"No model group '{action.Target}' is defined in router.toml."),
            RoutingRuleActions.UseProvider when catalog.Provider(action.Target) is null =>
                ApiErrors.Invalid(param, $"No active provider '{action.Target}' is defined."),
            RoutingRuleActions.UseModel when catalog.Resolve(action.Target) is { Model: null } resolution =>
                ApiErrors.Invalid(param, resolution.Message ?? $"Model '{action.Target}' does not resolve."),
            _ => null,
        };
    }

    private static JsonObject View(RoutingRuleConfig rule, bool fromFile) => DefinitionRequests.WithSource(RuleDefinitions.ToJson(rule), fromFile);

    private static ApiError DefinedInFile(string name) => DefinitionRequests.DefinedInFile($"routing rule '{name}'");
}
