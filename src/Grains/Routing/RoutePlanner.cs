using LlmRouter.Grains.Access;
using LlmRouter.Grains.Routing.Balancing;
using LlmRouter.Grains.Routing.Rules;

namespace LlmRouter.Grains.Routing;

/// <summary>
/// Decides where a chat request goes. With routing on, the first active rule whose conditions hold picks the
/// target; otherwise (or with routing off) the named model or group is the target. A target expands depth-first
/// into the candidates to try: a model, then its own fallbacks; a group, its members in the order its strategy
/// prefers (each followed by its own fallbacks), then the group's fallbacks. Each model appears once, models the
/// caller may not use are dropped, and at most <see cref="RouteQuery.MaxAttempts"/> remain.
/// </summary>
public sealed class RoutePlanner(GroupBalancer balancer, IModelLatencies latencies, RoutingStatistics statistics)
{
    public RoutePlan Plan(RouteQuery query)
    {
        var catalog = query.Catalog;
        var resolution = catalog.Resolve(query.Requested);
        var named = resolution.Group?.Name ?? resolution.Model?.Id;
        if (query.RoutingEnabled && query.Rules.Active.Count > 0)
        {
            var subject = new RuleSubject(query.Body, query.Requested, named);
            foreach (var rule in query.Rules.Active)
            {
                if (!rule.Matches(subject) || RuleTarget(catalog, rule.Config.Action, resolution) is not { } target)
                {
                    continue;
                }
                var plan = Expand(query, target) with { Kind = RouteKind.Rule, Rule = rule.Name, Named = named };
                if (plan.Candidates.Count > 0)
                {
                    return Decided(plan);
                }
            }
        }
        if (resolution.Model is null)
        {
            return new RoutePlan { Unresolved = resolution };
        }
        var direct = resolution.Group is { } group ? new Target(null, group, null) : new Target(resolution.Model, null, null);
        return Decided(Expand(query, direct) with { Kind = resolution.Group is null ? RouteKind.Direct : RouteKind.Group, Named = named });
    }

    /// <summary>Models having every tag asked for, best first (<see cref="ModelRanking"/>); the next ones are the fallbacks.</summary>
    public RoutePlan PlanTags(TagQuery query)
    {
        var ranked = ModelRanking.Rank(query.Catalog.Models.Where(query.Fits), latencies);
        return Decided(Filter(ranked, query.Allowed, query.MaxAttempts) with { Kind = RouteKind.Tags });
    }

    private RoutePlan Decided(RoutePlan plan)
    {
        if (plan.Candidates.Count > 0)
        {
            statistics.Decided(plan);
        }
        return plan;
    }

    /// <summary>What a rule's action names, or null when it names nothing active (the rule is then skipped).</summary>
    private Target? RuleTarget(ModelCatalog catalog, RoutingRuleAction action, ModelResolution requested)
    {
        switch (action.Kind)
        {
            case RoutingRuleActions.UseGroup:
                return catalog.Group(action.Target) is { } group ? new Target(null, group, null) : null;
            case RoutingRuleActions.UseModel:
                var resolution = catalog.Resolve(action.Target);
                return resolution.Group is { } named ? new Target(null, named, null)
                    : resolution.Model is { } model ? new Target(model, null, null)
                    : null;
            case RoutingRuleActions.UseProvider:
                var models = catalog.Models.Where(m => m.Provider.Name == action.Target).ToArray();
                if (models.Length == 0)
                {
                    return null;
                }
                // The requested model's namesake at that provider comes first, then the provider's best models.
                var wanted = requested.Model?.Model.Name;
                var ranked = ModelRanking.Rank(models, latencies).OrderBy(m => m.Model.Name == wanted ? 0 : 1).ToArray();
                return new Target(null, null, ranked);
            default:
                return null;
        }
    }

    private RoutePlan Expand(RouteQuery query, Target target)
    {
        var candidates = new List<ResolvedModel>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (target.Models is { } models)
        {
            candidates.AddRange(models);
        }
        else if (target.Group is { } group)
        {
            ExpandGroup(query.Catalog, group, candidates, seen, depth: 0);
        }
        else
        {
            ExpandModel(query.Catalog, target.Model!, candidates, seen, depth: 0);
        }
        return Filter(candidates, query.Allowed, query.MaxAttempts) with { Group = target.Group?.Name };
    }

    private void ExpandName(ModelCatalog catalog, string name, List<ResolvedModel> into, HashSet<string> seen, int depth)
    {
        var resolution = catalog.Resolve(name);
        if (resolution.Group is { } group)
        {
            ExpandGroup(catalog, group, into, seen, depth);
        }
        else if (resolution.Model is { } model)
        {
            ExpandModel(catalog, model, into, seen, depth);
        }
    }

    private void ExpandModel(ModelCatalog catalog, ResolvedModel model, List<ResolvedModel> into, HashSet<string> seen, int depth)
    {
        if (!seen.Add(model.Id))
        {
            return;
        }
        into.Add(model);
        foreach (var fallback in model.Model.Fallbacks)
        {
            ExpandName(catalog, fallback, into, seen, depth + 1);
        }
    }

    private void ExpandGroup(ModelCatalog catalog, ModelGroupConfig group, List<ResolvedModel> into, HashSet<string> seen, int depth)
    {
        // Group names share the seen set with model ids ("group:" cannot start a provider name that has a model).
        if (!seen.Add("group:" + group.Name) || depth > 16)
        {
            return;
        }
        var members = group.Members.Where(m => IsActive(catalog, m.Model)).Select(m => new BalancedMember(m.Model, m.Weight)).ToArray();
        if (members.Length > 0)
        {
            var order = balancer.Order(group, members);
            if (order.Length > 0 && members[order[0]].Weight > 0)
            {
                statistics.GroupPicked(group.Name, members[order[0]].Name);
            }
            foreach (var index in order)
            {
                ExpandName(catalog, members[index].Name, into, seen, depth + 1);
            }
        }
        foreach (var fallback in group.Fallbacks)
        {
            ExpandName(catalog, fallback, into, seen, depth + 1);
        }
    }

    private static bool IsActive(ModelCatalog catalog, string name) => catalog.Resolve(name).Model is not null;

    private static RoutePlan Filter(IReadOnlyList<ResolvedModel> candidates, Func<ResolvedModel, AccessDenial?>? allowed, int maxAttempts)
    {
        if (allowed is null)
        {
            return new RoutePlan { Candidates = candidates.Take(maxAttempts).ToArray() };
        }
        AccessDenial? firstDenial = null;
        var kept = new List<ResolvedModel>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (allowed(candidate) is { } denial)
            {
                firstDenial ??= denial;
            }
            else if (kept.Count < maxAttempts)
            {
                kept.Add(candidate);
            }
        }
        return new RoutePlan { Candidates = kept, Denied = kept.Count == 0 ? firstDenial : null };
    }

    /// <summary>A rule's or a request's target: one model, one group, or an ordered list of models.</summary>
    private sealed record Target(ResolvedModel? Model, ModelGroupConfig? Group, IReadOnlyList<ResolvedModel>? Models);
}
