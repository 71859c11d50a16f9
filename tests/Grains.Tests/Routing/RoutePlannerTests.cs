using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Grains.Access;
using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Balancing;
using LlmRouter.Grains.Routing.Rules;

namespace LlmRouter.Grains.Tests.Routing;

/// <summary>Where requests go: names, groups, fallbacks expanded depth-first, rules, the toggle and key policy.</summary>
public sealed class RoutePlannerTests
{
    private readonly RoutingStatistics _statistics = new();
    private readonly LatencyTracker _latencies = new(new StaticConfig(new RouterConfig()));

    private RoutePlanner Planner() =>
        new(new GroupBalancer(BuiltInStrategies.Create(_latencies, new InFlightTracker(), () => 0.5)), _latencies, _statistics);

    private static ModelConfig Model(string name, string provider = "p", params string[] fallbacks) =>
        new() { Name = name, Provider = provider, Fallbacks = fallbacks };

    private static ModelCatalog Catalog(IEnumerable<ModelConfig> models, params ModelGroupConfig[] groups) => new(new RouterConfig
    {
        Providers = [new ProviderConfig { Name = "p", Type = "openai" }, new ProviderConfig { Name = "q", Type = "deepseek" }],
        Models = models.ToArray(),
        ModelGroups = groups,
    });

    private static ModelGroupConfig Group(string name, string[] members, params string[] fallbacks) => new()
    {
        Name = name,
        Members = members.Select(m => new ModelGroupMember(m)).ToArray(),
        Fallbacks = fallbacks,
    };

    private static JsonObject Ask(string text) => new()
    {
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
    };

    private static string[] Ids(RoutePlan plan) => plan.Candidates.Select(c => c.Id).ToArray();

    private static RoutingRuleConfig Rule(string name, string kind, string target, RoutingRuleConditions? conditions = null, int priority = 0) =>
        new() { Name = name, Priority = priority, Conditions = conditions ?? new(), Action = new RoutingRuleAction(kind, target) };

    [Fact]
    public void Fallbacks_expand_depth_first_each_model_once()
    {
        var catalog = Catalog(
            [Model("a", fallbacks: ["g", "p/c"]), Model("b", fallbacks: ["p/a"]), Model("c"), Model("d"), Model("e")],
            Group("g", ["p/b", "p/d"], "p/e", "p/c"));

        var plan = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "p/a", MaxAttempts = 10 });

        // a, then its fallbacks: the group g (b with its own fallback a already tried, d), g's fallbacks e and c, then a's c (tried).
        Assert.Equal(["p/a", "p/b", "p/d", "p/e", "p/c"], Ids(plan));
        Assert.Equal(RouteKind.Direct, plan.Kind);
        Assert.Null(plan.Group);
        Assert.Equal("p/a", plan.Named);
    }

    [Fact]
    public void A_group_name_routes_through_the_group_and_is_what_the_client_named()
    {
        var catalog = Catalog([Model("a"), Model("b"), Model("c")], Group("pool", ["p/a", "p/b"], "p/c"));
        var planner = Planner();

        var first = planner.Plan(new RouteQuery { Catalog = catalog, Requested = "pool" });
        var second = planner.Plan(new RouteQuery { Catalog = catalog, Requested = "pool" });

        Assert.Equal(["p/a", "p/b", "p/c"], Ids(first));
        Assert.Equal(["p/b", "p/a", "p/c"], Ids(second));
        Assert.Equal(("pool", "pool", RouteKind.Group), (first.Group, first.Named, first.Kind));
        Assert.Equal(1, _statistics.GroupPicks("pool", "p/a"));
        Assert.Equal(1, _statistics.GroupPicks("pool", "p/b"));
    }

    [Fact]
    public void Cycles_between_groups_and_fallbacks_end()
    {
        var catalog = Catalog([Model("a", fallbacks: ["loop"])], Group("loop", ["loop", "p/a"], "loop"));

        var plan = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "loop" });

        Assert.Equal(["p/a"], Ids(plan));
    }

    [Fact]
    public void At_most_max_attempts_candidates_are_kept()
    {
        var catalog = Catalog([Model("a", fallbacks: ["p/b", "p/c", "p/d"]), Model("b"), Model("c"), Model("d")]);

        var plan = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "p/a", MaxAttempts = 2 });

        Assert.Equal(["p/a", "p/b"], Ids(plan));
    }

    [Fact]
    public void Candidates_the_key_may_not_use_are_dropped_and_none_left_is_a_denial()
    {
        var catalog = Catalog([Model("a", fallbacks: ["q/b", "p/c"]), Model("b", "q"), Model("c")]);
        static AccessDenial? OnlyP(ResolvedModel m) =>
            m.Provider.Name == "p" ? null : new AccessDenial(AccessDenialReason.ProviderNotAllowed, "not q", "model");

        var plan = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "p/a", Allowed = OnlyP });
        var denied = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "q/b", Allowed = OnlyP });

        Assert.Equal(["p/a", "p/c"], Ids(plan));
        Assert.Null(plan.Denied);
        Assert.Empty(denied.Candidates);
        Assert.Equal(AccessDenialReason.ProviderNotAllowed, denied.Denied!.Reason);
    }

    [Fact]
    public void An_unknown_name_is_unresolved_unless_a_rule_routes_it()
    {
        var catalog = Catalog([Model("a"), Model("b")]);
        var rules = new RoutingRuleSet([Rule("hello", RoutingRuleActions.UseModel, "p/b", new() { Regex = "^hello" })], []);

        var unresolved = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "auto", Body = Ask("bye"), Rules = rules });
        var routed = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "auto", Body = Ask("hello world"), Rules = rules });

        Assert.Equal(LlmRouter.Grains.Routing.ModelResolutionError.NotFound, unresolved.Unresolved!.Error);
        Assert.Equal(["p/b"], Ids(routed));
        Assert.Equal(("hello", RouteKind.Rule, null), (routed.Rule, routed.Kind, routed.Named));
        Assert.Equal(1, _statistics.RuleHits["hello"]);
    }

    [Fact]
    public void Rules_go_by_priority_then_file_order_then_stored_order_and_skip_inactive_ones()
    {
        var catalog = Catalog([Model("a"), Model("b"), Model("c"), Model("d"), Model("e")]);
        var rules = new RoutingRuleSet(
            [
                Rule("file-low", RoutingRuleActions.UseModel, "p/b"),
                Rule("file-high-off", RoutingRuleActions.UseModel, "p/e", priority: 9) with { IsActive = false },
                Rule("file-high", RoutingRuleActions.UseModel, "p/c", priority: 5),
            ],
            [
                Rule("stored-high", RoutingRuleActions.UseModel, "p/d", priority: 5),
                Rule("file-low", RoutingRuleActions.UseModel, "p/e", priority: 100),
            ]);

        var plan = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "p/a", Body = Ask("x"), Rules = rules });

        Assert.Equal(["file-high-off", "file-high", "stored-high", "file-low"], rules.All.Select(r => r.Name));
        Assert.Equal(["p/c"], Ids(plan));
        Assert.Equal("file-high", plan.Rule);
    }

    [Fact]
    public void With_routing_off_rules_are_bypassed()
    {
        var catalog = Catalog([Model("a"), Model("b")]);
        var rules = new RoutingRuleSet([Rule("all", RoutingRuleActions.UseModel, "p/b")], []);

        var plan = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "p/a", Body = Ask("x"), Rules = rules, RoutingEnabled = false });

        Assert.Equal(["p/a"], Ids(plan));
        Assert.Null(plan.Rule);
    }

    [Fact]
    public void Conditions_on_complexity_and_requested_models_all_have_to_hold()
    {
        var catalog = Catalog([Model("a"), Model("b"), Model("c")], Group("pool", ["p/a"]));
        var rules = new RoutingRuleSet(
            [Rule("hard-pool", RoutingRuleActions.UseModel, "p/c", new() { MinComplexity = 10, Models = ["pool"] })], []);
        var planner = Planner();

        var easy = planner.Plan(new RouteQuery { Catalog = catalog, Requested = "pool", Body = Ask("short"), Rules = rules });
        var hardOther = planner.Plan(new RouteQuery { Catalog = catalog, Requested = "p/b", Body = Ask("Why? How? When?"), Rules = rules });
        var hardPool = planner.Plan(new RouteQuery { Catalog = catalog, Requested = "pool", Body = Ask("Why? How? When?"), Rules = rules });

        Assert.Equal(["p/a"], Ids(easy));
        Assert.Equal(["p/b"], Ids(hardOther));
        Assert.Equal(["p/c"], Ids(hardPool));
    }

    [Fact]
    public void A_rule_whose_target_is_gone_or_denied_gives_way_to_the_next()
    {
        var catalog = Catalog([Model("a"), Model("b", "q"), Model("c")]);
        var rules = new RoutingRuleSet(
            [
                Rule("gone", RoutingRuleActions.UseModel, "p/removed"),
                Rule("denied", RoutingRuleActions.UseProvider, "q"),
                Rule("ok", RoutingRuleActions.UseModel, "p/c"),
            ], []);
        static AccessDenial? NoQ(ResolvedModel m) =>
            m.Provider.Name == "q" ? new AccessDenial(AccessDenialReason.ProviderNotAllowed, "no", "model") : null;

        var plan = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "p/a", Body = Ask("x"), Rules = rules, Allowed = NoQ });

        Assert.Equal(("ok", "p/c"), (plan.Rule, plan.First!.Id));
    }

    [Fact]
    public void Use_provider_prefers_the_requested_models_namesake_then_the_providers_best()
    {
        var catalog = Catalog([
            Model("chat"), Model("cheap", "q"), Model("chat", "q"),
            Model("pricey", "q") with { Priority = 1, Config = new ModelCapabilities { CostPer1kTokens = 9 } },
        ]);
        var rules = new RoutingRuleSet([Rule("to-q", RoutingRuleActions.UseProvider, "q")], []);

        var namesake = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "p/chat", Body = Ask("x"), Rules = rules });
        var best = Planner().Plan(new RouteQuery { Catalog = catalog, Requested = "auto", Body = Ask("x"), Rules = rules });

        Assert.Equal(["q/chat", "q/pricey", "q/cheap"], Ids(namesake));
        Assert.Equal(["q/pricey", "q/cheap", "q/chat"], Ids(best));
    }

    [Fact]
    public void Tag_routes_rank_by_priority_then_latency_then_price()
    {
        ModelConfig Tagged(string name, int priority, decimal price) => Model(name) with
        {
            Tags = ["coding"],
            Priority = priority,
            Config = new ModelCapabilities { CostPer1kTokens = price },
        };
        var catalog = Catalog([Tagged("slow", 0, 1), Tagged("fast", 0, 5), Tagged("cheap", 0, 0.5m), Tagged("top", 1, 99), Model("untagged")]);
        var planner = Planner();

        var byPrice = planner.PlanTags(new TagQuery { Catalog = catalog, Tags = ["coding"], MaxAttempts = 10 });
        _latencies.Observe("p/slow", 900);
        _latencies.Observe("p/fast", 30);
        _latencies.Observe("p/cheap", 600);
        var byLatency = planner.PlanTags(new TagQuery { Catalog = catalog, Tags = ["coding"], MaxAttempts = 10 });

        Assert.Equal(["p/top", "p/cheap", "p/slow", "p/fast"], Ids(byPrice));
        // top was never observed: it counts as 0 ms, and its priority wins anyway.
        Assert.Equal(["p/top", "p/fast", "p/cheap", "p/slow"], Ids(byLatency));
        Assert.Equal(RouteKind.Tags, byLatency.Kind);
    }

    [Fact]
    public void Tag_routes_filter_by_provider_type()
    {
        var catalog = Catalog([Model("a") with { Tags = ["t"] }, Model("b", "q") with { Tags = ["t"] }]);

        var plan = Planner().PlanTags(new TagQuery { Catalog = catalog, Tags = ["t"], ProviderTypes = ["deepseek"] });

        Assert.Equal(["q/b"], Ids(plan));
    }
}
