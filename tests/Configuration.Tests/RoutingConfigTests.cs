using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Configuration.Tests;

/// <summary>[routing], [[routing_rules]], groups and fallbacks: bound values, errors at their position, warnings for names REST may define.</summary>
public sealed class RoutingConfigTests
{
    private static readonly RouterEnvironment NoVariables = new([]);

    private const string Catalog = """
        [[providers]]
        name = "p"
        type = "openai"

        [[models]]
        name = "a"
        provider = "p"

        [[models]]
        name = "b"
        provider = "p"

        [[model_groups]]
        name = "pool"
        members = [{ model = "p/a" }, { model = "p/b", weight = 3 }]

        """;

    private static ConfigLoadResult Loads(string toml)
    {
        using var dir = new TempDirectory();
        return RouterConfigLoader.LoadFile(dir.Write("router.toml", toml), NoVariables);
    }

    private static ConfigException Fails(string toml)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", toml);
        var error = Assert.Throws<ConfigException>(() => RouterConfigLoader.LoadFile(file, NoVariables));
        Assert.StartsWith($"{file}:{error.Line}:{error.Column}: ", error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void Routing_settings_and_rules_bind()
    {
        var result = Loads(Catalog + """
            [routing]
            enabled = false
            toggle_delay_seconds = 2.5
            toggle_cooldown_seconds = 0
            max_attempts = 3

            [[routing_rules]]
            name = "code"
            priority = 5
            [routing_rules.conditions]
            regex = "```"
            min_complexity = 10
            max_complexity = 90
            models = ["auto", "pool"]
            [routing_rules.action]
            use_group = "pool"

            [[routing_rules]]
            name = "rest"
            is_active = false
            action = { use_provider = "p" }
            """);

        var config = result.Config;
        Assert.Equal(new RoutingConfig { Enabled = false, ToggleDelaySeconds = 2.5, ToggleCooldownSeconds = 0, MaxAttempts = 3 }, config.Routing);
        Assert.Equal(2, config.RoutingRules.Count);
        var code = config.RoutingRules[0];
        Assert.Equal(("code", 5, true), (code.Name, code.Priority, code.IsActive));
        Assert.Equal("```", code.Conditions.Regex);
        Assert.Equal((10, 90), (code.Conditions.MinComplexity, code.Conditions.MaxComplexity));
        Assert.Equal(["auto", "pool"], code.Conditions.Models!);
        Assert.Equal(new RoutingRuleAction("use_group", "pool"), code.Action);
        Assert.Equal(new RoutingRuleAction("use_provider", "p"), config.RoutingRules[1].Action);
        Assert.False(config.RoutingRules[1].IsActive);
        Assert.Equal([new ModelGroupMember("p/a", 100), new ModelGroupMember("p/b", 3)], config.ModelGroups[0].Members);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Defaults_hold_without_a_routing_table()
    {
        var config = Loads(Catalog).Config;

        Assert.Equal(new RoutingConfig(), config.Routing);
        Assert.True(config.Routing.Enabled);
        Assert.Equal((5, 30, 4), (config.Routing.ToggleDelaySeconds, config.Routing.ToggleCooldownSeconds, config.Routing.MaxAttempts));
        Assert.Empty(config.RoutingRules);
    }

    [Fact]
    public void An_invalid_regex_points_at_its_value()
    {
        var error = Fails(Catalog + "[[routing_rules]]\nname = \"r\"\nconditions = { regex = \"(unclosed\" }\naction = { use_model = \"p/a\" }\n");

        Assert.Equal((18, 24), (error.Line, error.Column));
        Assert.Contains("not a valid regular expression", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_needs_exactly_one_action()
    {
        var none = Fails(Catalog + "[[routing_rules]]\nname = \"r\"\n");
        var two = Fails(Catalog + "[[routing_rules]]\nname = \"r\"\n[routing_rules.action]\nuse_model = \"p/a\"\nuse_group = \"pool\"\n");

        Assert.Equal(16, none.Line);
        Assert.Contains("needs 'action'", none.Reason, StringComparison.Ordinal);
        Assert.Equal((20, 1), (two.Line, two.Column));
        Assert.Contains("exactly one of use_model, use_provider, use_group", two.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_using_an_undefined_group_is_refused_at_the_group_name()
    {
        var error = Fails(Catalog + "[[routing_rules]]\nname = \"r\"\n[routing_rules.action]\nuse_group = \"nope\"\n");

        Assert.Equal((19, 1), (error.Line, error.Column));
        Assert.Contains("group 'nope'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Complexity_bounds_are_checked()
    {
        var range = Fails(Catalog + "[[routing_rules]]\nname = \"r\"\nconditions = { min_complexity = 101 }\naction = { use_model = \"p/a\" }\n");
        var order = Fails(Catalog + "[[routing_rules]]\nname = \"r\"\nconditions = { min_complexity = 60, max_complexity = 40 }\naction = { use_model = \"p/a\" }\n");

        Assert.Contains("between 0 and 100", range.Reason, StringComparison.Ordinal);
        Assert.Contains("above 'max_complexity'", order.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_rule_and_group_names_name_the_first_definition()
    {
        var rules = Fails(Catalog + "[[routing_rules]]\nname = \"r\"\naction = { use_model = \"p/a\" }\n[[routing_rules]]\nname = \"r\"\naction = { use_model = \"p/b\" }\n");
        var groups = Fails(Catalog + "[[model_groups]]\nname = \"pool\"\nmembers = [{ model = \"p/a\" }]\n");

        Assert.Equal((20, 1), (rules.Line, rules.Column));
        Assert.Contains("defined twice (first at 17:1)", rules.Reason, StringComparison.Ordinal);
        Assert.Equal((17, 1), (groups.Line, groups.Column));
        Assert.Contains("model group 'pool' is defined twice (first at 14:1)", groups.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_file_does_not_define_are_warnings_since_rest_may_define_them()
    {
        var result = Loads(Catalog.Replace("name = \"b\"\nprovider = \"p\"\n", "name = \"b\"\nprovider = \"p\"\nfallbacks = [\"pool\", \"p/later\"]\n", StringComparison.Ordinal) + """
            [[routing_rules]]
            name = "r"
            action = { use_model = "p/rest-only" }
            """);

        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains("falls back to 'p/later'", result.Warnings[0].Message, StringComparison.Ordinal);
        Assert.Equal(12, result.Warnings[0].Line);
        Assert.Contains("uses model 'p/rest-only'", result.Warnings[1].Message, StringComparison.Ordinal);
    }
}
