using LlmRouter.Abstractions.Routing;
using LlmRouter.Grains.Catalog;

namespace LlmRouter.Grains.Routing.Rules;

/// <summary>
/// The rule set in force: router.toml's rules and the rules defined over REST (kept in the store), compiled once
/// per change. A new set is built when the file reloads or the store's rules change (on this node at once, on
/// other nodes at their next refresh).
/// </summary>
public sealed class RoutingRuleSource(IRouterConfigSource config, IRoutingRuleStore store) : StoreOverlay(config)
{
    // Set before the base class follows the file (field initializers run first).
    private readonly IRouterConfigSource _config = config;
    private readonly IRoutingRuleStore _store = store;
    private readonly Lock _gate = new();
    private IReadOnlyList<RoutingRuleConfig> _stored = [];
    private volatile Snapshot _current = new(config.Current.RoutingRules, new RoutingRuleSet(config.Current.RoutingRules, []));

    public RoutingRuleSet Current
    {
        get
        {
            var current = _current;
            return ReferenceEquals(current.FileRules, _config.Current.RoutingRules) ? current.Rules : Rebuild();
        }
    }

    /// <summary>Router.toml's rules: names REST may not define.</summary>
    public IReadOnlyList<RoutingRuleConfig> FileRules => _config.Current.RoutingRules;

    protected override ValueTask<long> RevisionAsync(CancellationToken cancellationToken) => _store.RevisionAsync(cancellationToken);

    protected override void OnFileChanged(RouterConfig snapshot) => Rebuild();

    protected override async ValueTask ReadStoreAsync(List<string> problems, CancellationToken cancellationToken)
    {
        var rules = Parse(await _store.ListAsync(cancellationToken).ConfigureAwait(false), RuleDefinitions.Parse, "routing rule", problems);
        lock (_gate)
        {
            _stored = rules;
        }
        Rebuild();
    }

    private RoutingRuleSet Rebuild()
    {
        lock (_gate)
        {
            var fileRules = _config.Current.RoutingRules;
            var snapshot = new Snapshot(fileRules, new RoutingRuleSet(fileRules, _stored));
            _current = snapshot;
            return snapshot.Rules;
        }
    }

    private sealed record Snapshot(IReadOnlyList<RoutingRuleConfig> FileRules, RoutingRuleSet Rules);
}
