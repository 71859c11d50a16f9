using LlmRouter.Abstractions.Access;
using LlmRouter.Api.Auth;
using LlmRouter.Api.Auth.Keys;
using LlmRouter.Api.Chat;
using LlmRouter.Api.Monitoring;
using LlmRouter.Grains.Access;
using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Rules;

namespace LlmRouter.Api.Pipeline;

/// <summary>
/// Resolves and routes a chat call: rules when the router toggle is on, groups, fallbacks or tags, with the caller's key
/// policy applied once, here (candidates the key may not use are dropped, its parameter limits clamp the body). A
/// session whose request names its model gets the name bound. Sets <see cref="ChatCall.Route"/> and <see cref="ChatCall.Invocation"/>.
/// </summary>
public sealed class RouteStep(
    RoutePlanner planner, ModelCatalogSource catalog, RoutingRuleSource rules, RouterToggle toggle, LoginSessions sessions, IRouterConfigSource config)
{
    /// <summary>Null when the call has somewhere to go; otherwise the error to answer with.</summary>
    public async ValueTask<ApiError?> RouteAsync(ChatCall call)
    {
        var request = call.Request!;
        var key = call.Access.Key;
        if (Plan(call, request, key) is not { } plan)
        {
            return TagRoute.RoutingDisabled;
        }
        if (plan.First is not { } first)
        {
            return request.Tags is { } tags && plan.Denied is null ? tags.NoneFits() : Error(plan);
        }
        if (request.Restriction is { } restriction)
        {
            plan = plan with { Candidates = plan.Candidates.Where(restriction.Allows).ToArray() };
        }
        if (plan.First is not { } model)
        {
            return request.Restriction!.Refusal(first);
        }
        RefusedCall.NoteModel(call.Http, model);
        if (key is not null && Clamp(key, request, plan) is { } denied)
        {
            return AccessErrors.Denied(denied);
        }
        await BindSessionAsync(call, request, plan).ConfigureAwait(false);
        request.Body["model"] = model.Model.UpstreamName;
        call.Route = plan;
        call.Invocation = new ChatInvocation(model, request.Body, call.Protocol.Format)
        {
            Caller = call.Access.Identity,
            Endpoint = InvocationEndpoints.Of(call.Http.Request),
            Embedding = request.Embedding,
            Pipeline = key?.Pipeline,
            Native = request.Native,
            Candidates = plan.Candidates,
            Group = plan.Group,
            Rule = plan.Rule,
        };
        return null;
    }

    /// <summary>Why a plan has no candidate: the name did not resolve (404/400), or the key may use none of them (403).</summary>
    public static ApiError Error(RoutePlan plan) =>
        plan.Unresolved is { } unresolved ? ApiErrors.Resolution(unresolved)
        : plan.Denied is { } denied ? AccessErrors.Denied(denied)
        : new ApiError(404, "invalid_request_error", "No model can serve this request.", "model", "model_not_found");

    /// <summary>The plan, its candidates filtered by the key's policy; null for a tag route while routing is off.</summary>
    private RoutePlan? Plan(ChatCall call, ChatRequest request, ApiKeyRecord? key)
    {
        Func<ResolvedModel, AccessDenial?>? allowed = key is null ? null : model => ApiKeyPolicy.CheckModel(key, model.Provider.Name, model.Id);
        var maxAttempts = config.Current.Routing.MaxAttempts;
        if (request.Tags is { } tags)
        {
            return !toggle.IsEnabled ? null : planner.PlanTags(new TagQuery
            {
                Catalog = catalog.Current,
                Tags = tags.Tags,
                ProviderTypes = tags.ProviderTypes,
                Allowed = allowed,
                MaxAttempts = maxAttempts,
            });
        }
        RefusedCall.NoteRequested(call.Http, request.Requested!);
        return planner.Plan(new RouteQuery
        {
            Catalog = catalog.Current,
            Requested = request.Requested!,
            Body = request.Body,
            Rules = rules.Current,
            RoutingEnabled = toggle.IsEnabled,
            Allowed = allowed,
            MaxAttempts = maxAttempts,
        });
    }

    /// <summary>
    /// The key's priced fields and parameter limits, applied to the canonical body, and to the client's own request
    /// too when a candidate gets it as it is (it uses the same parameter names). An embeddings request has no sampling
    /// parameters to clamp (an embeddings API refuses a <c>max_tokens</c> added to it).
    /// </summary>
    private static AccessDenial? Clamp(ApiKeyRecord key, ChatRequest request, RoutePlan plan) =>
        request.Embedding is not null ? ApiKeyPolicy.CheckPricedFields(key, request.Body)
        : Clamp(key, request.Body)
        ?? (request.Native is { } native && plan.Candidates.Any(m => ProviderApis.Of(m.Provider) == native.Api) ? Clamp(key, native.Body) : null);

    private static AccessDenial? Clamp(ApiKeyRecord key, JsonObject body) =>
        ApiKeyPolicy.CheckPricedFields(key, body) ?? ApiKeyPolicy.Clamp(key.ParameterLimits, body);

    /// <summary>A request that names its model binds the name (the group the client named, not the member that serves) to its session.</summary>
    private async ValueTask BindSessionAsync(ChatCall call, ChatRequest request, RoutePlan plan)
    {
        if (request.NamesModel && plan.Named is { } named && call.Access.Session is { } session && session.BoundModel != named
            && await sessions.BindModelAsync(session, named, call.Http.RequestAborted).ConfigureAwait(false) is { } bound)
        {
            call.Access = call.Access with { Session = bound };
            call.Http.SetAccess(call.Access);
        }
    }
}
