using System.Text.RegularExpressions;

namespace LlmRouter.Configuration;

/// <summary>Binds [routing] and [[routing_rules]], and checks what groups, fallbacks and rules refer to.</summary>
internal static class RoutingConfigBinder
{
    public static RoutingConfig BindRouting(TomlSection s)
    {
        var defaults = new RoutingConfig();
        var routing = new RoutingConfig
        {
            Enabled = s.Bool("enabled", defaults.Enabled),
            ToggleDelaySeconds = s.OptionalNumber("toggle_delay_seconds", 0) ?? defaults.ToggleDelaySeconds,
            ToggleCooldownSeconds = s.OptionalNumber("toggle_cooldown_seconds", 0) ?? defaults.ToggleCooldownSeconds,
            MaxAttempts = s.OptionalInt("max_attempts", 1, 100) ?? defaults.MaxAttempts,
        };
        s.WarnUnknownKeys();
        return routing;
    }

    public static RoutingRuleConfig BindRule(TomlSection s)
    {
        var name = s.RequiredString("name");
        var conditions = s.OptionalTable("conditions", s.Name + ".conditions") is { } c ? BindConditions(c) : new RoutingRuleConditions();
        var actionSection = s.OptionalTable("action", s.Name + ".action") ?? throw s.Missing("action", "a table with one of " + string.Join(", ", RoutingRuleActions.All));
        var rule = new RoutingRuleConfig
        {
            Name = name,
            Priority = s.OptionalInt("priority") ?? 0,
            IsActive = s.Bool("is_active", true),
            Conditions = conditions,
            Action = BindAction(actionSection),
        };
        s.WarnUnknownKeys();
        return rule;
    }

    private static RoutingRuleConditions BindConditions(TomlSection s)
    {
        var regex = s.OptionalString("regex");
        if (regex is not null && RegexError(regex) is { } problem)
        {
            throw s.Error(s.Table["regex"].Position, $"'regex' in {s.Name} is not a valid regular expression: {problem}");
        }
        var conditions = new RoutingRuleConditions
        {
            Regex = regex,
            MinComplexity = s.OptionalInt("min_complexity", 0, 100),
            MaxComplexity = s.OptionalInt("max_complexity", 0, 100),
            Models = s.OptionalStringList("models"),
        };
        if (conditions.MinComplexity > conditions.MaxComplexity)
        {
            throw s.Error("min_complexity", $"'min_complexity' in {s.Name} is above 'max_complexity'");
        }
        s.WarnUnknownKeys();
        return conditions;
    }

    private static RoutingRuleAction BindAction(TomlSection s)
    {
        var given = RoutingRuleActions.All.Where(kind => s.Value(kind) is not null).ToArray();
        if (given.Length != 1)
        {
            var at = given.Length == 0 ? s.Table.Position : s.Table.GetKeyPosition(given[1]);
            throw s.Error(at, $"{s.Name} needs exactly one of {string.Join(", ", RoutingRuleActions.All)}");
        }
        var action = new RoutingRuleAction(given[0], s.RequiredString(given[0]));
        s.WarnUnknownKeys();
        return action;
    }

    /// <summary>Null when <paramref name="pattern"/> compiles as the router will compile it.</summary>
    public static string? RegexError(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            return null;
        }
        catch (ArgumentException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>
    /// Rule names and group names must be unique and a rule's group must exist (errors). Models, providers and
    /// fallbacks may also be defined over REST, so a name the file does not define is only a warning.
    /// </summary>
    public static void CheckReferences(
        RouterConfig config, IReadOnlyList<TomlSection> models, IReadOnlyList<TomlSection> groups, IReadOnlyList<TomlSection> rules)
    {
        var groupNames = DefinedNames.Of("model group", config.ModelGroups.Select(g => g.Name), groups);
        var modelIds = config.Models.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var bareNames = config.Models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        bool Known(string name) => modelIds.Contains(name) || groupNames.Contains(name) || bareNames.Contains(name);

        for (var i = 0; i < config.Models.Count; i++)
        {
            WarnUnknownFallbacks(models[i], config.Models[i].Fallbacks, Known);
        }
        for (var i = 0; i < config.ModelGroups.Count; i++)
        {
            WarnUnknownFallbacks(groups[i], config.ModelGroups[i].Fallbacks, Known);
            if (modelIds.Contains(config.ModelGroups[i].Name))
            {
                groups[i].Warn("name", $"model group '{config.ModelGroups[i].Name}' has the id of a model; the model wins when clients call it");
            }
        }

        var ruleNames = new DefinedNames("routing rule");
        var providers = config.Providers.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < config.RoutingRules.Count; i++)
        {
            var rule = config.RoutingRules[i];
            ruleNames.Add(rule.Name, rules[i]);
            var action = (TomlTable)rules[i].Table["action"];
            var target = action.GetKeyPosition(rule.Action.Kind);
            switch (rule.Action.Kind)
            {
                case RoutingRuleActions.UseGroup when !groupNames.Contains(rule.Action.Target):
                    throw rules[i].Error(target, $"{rules[i].Name} uses group '{rule.Action.Target}', which is not defined in [[model_groups]]");
                case RoutingRuleActions.UseModel when !Known(rule.Action.Target):
                    rules[i].Warn("action", $"{rules[i].Name} uses model '{rule.Action.Target}', which router.toml does not define (it must be defined over REST)");
                    break;
                case RoutingRuleActions.UseProvider when !providers.Contains(rule.Action.Target):
                    rules[i].Warn("action", $"{rules[i].Name} uses provider '{rule.Action.Target}', which router.toml does not define (it must be defined over REST)");
                    break;
            }
        }
    }

    private static void WarnUnknownFallbacks(TomlSection section, IReadOnlyList<string> fallbacks, Func<string, bool> known)
    {
        foreach (var fallback in fallbacks.Where(f => !known(f)))
        {
            section.Warn("fallbacks", $"{section.Name} falls back to '{fallback}', which router.toml does not define (it must be defined over REST)");
        }
    }
}
