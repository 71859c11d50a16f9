using System.Text.RegularExpressions;

namespace LlmRouter.Grains.Routing.Rules;

/// <summary>A routing rule ready to match: its regular expression compiled once per rule set.</summary>
public sealed class CompiledRule
{
    /// <summary>A pattern that takes longer than this on one message counts as not matching, so no rule can stall requests.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex? _regex;

    public CompiledRule(RoutingRuleConfig config, bool fromFile)
    {
        Config = config;
        FromFile = fromFile;
        _regex = config.Conditions.Regex is { } pattern ? new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout) : null;
    }

    public RoutingRuleConfig Config { get; }

    /// <summary>Defined in router.toml (else over REST).</summary>
    public bool FromFile { get; }

    public string Name => Config.Name;

    public bool Matches(RuleSubject subject)
    {
        var conditions = Config.Conditions;
        if (conditions.Models is { } models
            && !(subject.Requested is { } requested && models.Contains(requested, StringComparer.Ordinal))
            && !(subject.Resolved is { } resolved && models.Contains(resolved, StringComparer.Ordinal)))
        {
            return false;
        }
        if (conditions.MinComplexity is { } min && subject.Complexity < min || conditions.MaxComplexity is { } max && subject.Complexity > max)
        {
            return false;
        }
        if (_regex is null)
        {
            return true;
        }
        try
        {
            return _regex.IsMatch(subject.Text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
