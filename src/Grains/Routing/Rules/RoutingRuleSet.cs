namespace LlmRouter.Grains.Routing.Rules;

/// <summary>
/// The rules in force, in the order they are tried: by descending priority, then router.toml's rules in file
/// order, then REST rules in creation order. A REST rule with the name of a file rule is left out (the file wins).
/// </summary>
public sealed class RoutingRuleSet
{
    public static RoutingRuleSet Empty { get; } = new([], []);

    public RoutingRuleSet(IReadOnlyList<RoutingRuleConfig> fileRules, IReadOnlyList<RoutingRuleConfig> storedRules)
    {
        var fileNames = fileRules.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        All = fileRules.Select(r => new CompiledRule(r, fromFile: true))
            .Concat(storedRules.Where(r => !fileNames.Contains(r.Name)).Select(r => new CompiledRule(r, fromFile: false)))
            .Select((rule, position) => (rule, position))
            .OrderByDescending(p => p.rule.Config.Priority)
            .ThenBy(p => p.position)
            .Select(p => p.rule)
            .ToArray();
        Active = All.Where(r => r.Config.IsActive).ToArray();
    }

    /// <summary>Every rule, inactive ones included, in evaluation order.</summary>
    public IReadOnlyList<CompiledRule> All { get; }

    public IReadOnlyList<CompiledRule> Active { get; }
}
