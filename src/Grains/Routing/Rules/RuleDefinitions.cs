using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmRouter.Grains.Catalog;

namespace LlmRouter.Grains.Routing.Rules;

/// <summary>
/// Routing rules as JSON with router.toml's key names: what POST /router/rules accepts and GET shows, and what the
/// store keeps. Parsing checks what the file binder checks and refuses unknown fields.
/// </summary>
public static class RuleDefinitions
{
    public const int MaxNameLength = 100;

    public static JsonObject ToJson(RoutingRuleConfig rule)
    {
        var conditions = new JsonObject();
        if (rule.Conditions.Regex is { } regex)
        {
            conditions["regex"] = regex;
        }
        if (rule.Conditions.MinComplexity is { } min)
        {
            conditions["min_complexity"] = min;
        }
        if (rule.Conditions.MaxComplexity is { } max)
        {
            conditions["max_complexity"] = max;
        }
        if (rule.Conditions.Models is { } models)
        {
            conditions["models"] = new JsonArray(models.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
        }
        return new JsonObject
        {
            ["name"] = rule.Name,
            ["priority"] = rule.Priority,
            ["is_active"] = rule.IsActive,
            ["conditions"] = conditions,
            ["action"] = new JsonObject { [rule.Action.Kind] = rule.Action.Target },
        };
    }

    /// <summary>Reads a rule; throws <see cref="DefinitionException"/> naming the bad field.</summary>
    public static RoutingRuleConfig Parse(JsonObject json)
    {
        var f = new JsonFields(json);
        var name = f.RequiredString("name");
        if (name.Length > MaxNameLength)
        {
            throw new DefinitionException("name", $"'name' must be at most {MaxNameLength} characters.");
        }
        var rule = new RoutingRuleConfig
        {
            Name = name,
            Priority = f.Int("priority", int.MinValue) ?? 0,
            IsActive = f.Bool("is_active") ?? true,
            Conditions = f.Object("conditions") is { } conditions ? ParseConditions(conditions) : new RoutingRuleConditions(),
            Action = f.Object("action") is { } action ? ParseAction(action) : throw new DefinitionException("action", ActionNeeded("action")),
        };
        f.RejectUnknown();
        return rule;
    }

    private static RoutingRuleConditions ParseConditions(JsonFields f)
    {
        var regex = f.String("regex");
        if (regex is not null)
        {
            try
            {
                _ = new Regex(regex, RegexOptions.CultureInvariant, CompiledRule.MatchTimeout);
            }
            catch (ArgumentException exception)
            {
                throw new DefinitionException("conditions.regex", $"'conditions.regex' is not a valid regular expression: {exception.Message}");
            }
        }
        var conditions = new RoutingRuleConditions
        {
            Regex = regex,
            MinComplexity = (int?)f.Integer("min_complexity", 0, 100),
            MaxComplexity = (int?)f.Integer("max_complexity", 0, 100),
            Models = f.StringList("models"),
        };
        if (conditions.MinComplexity > conditions.MaxComplexity)
        {
            throw new DefinitionException("conditions.min_complexity", "'conditions.min_complexity' is above 'conditions.max_complexity'.");
        }
        f.RejectUnknown();
        return conditions;
    }

    private static RoutingRuleAction ParseAction(JsonFields f)
    {
        var given = RoutingRuleActions.All.Select(kind => (kind, target: f.String(kind))).Where(a => a.target is not null).ToArray();
        if (given.Length != 1 || given[0].target!.Length == 0)
        {
            throw new DefinitionException("action", ActionNeeded("action"));
        }
        f.RejectUnknown();
        return new RoutingRuleAction(given[0].kind, given[0].target!);
    }

    private static string ActionNeeded(string field) =>
        $"'{field}' must be an object with exactly one non-empty string among {string.Join(", ", RoutingRuleActions.All)}.";
}
