using LlmRouter.Abstractions.Routing;
using LlmRouter.Grains.Catalog;

namespace LlmRouter.Grains.Routing.Rules;

/// <summary>
/// The rule set in force: router.toml's rules and the rules defined over REST (kept in the store), compiled once
/// per change. A new set is built when the file reloads or the store's rules change (on this node at once, on
/// other nodes at their next refresh).
/// </summary>
public sealed class RoutingRuleSource : IDisposable
{
    private readonly IRouterConfigSource _config;
    private readonly IRoutingRuleStore _store;
    private readonly StoredDefinitions _definitions = new();
    private readonly Lock _gate = new();
    private IReadOnlyList<RoutingRuleConfig> _stored = [];
    private volatile Snapshot _current;

    public RoutingRuleSource(IRouterConfigSource config, IRoutingRuleStore store)
    {
        _config = config;
        _store = store;
        _current = new Snapshot(config.Current.RoutingRules, new RoutingRuleSet(config.Current.RoutingRules, []));
        config.Changed += OnConfigChanged;
    }

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

    /// <summary>
    /// Reads the store's rules when they changed since the last read and builds a new set. Returns the stored
    /// definitions that could not be read (they are left out), for the caller to report.
    /// </summary>
    public ValueTask<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken = default) =>
        _definitions.RefreshAsync(_store.RevisionAsync, ReadAsync, cancellationToken);

    public void Dispose()
    {
        _config.Changed -= OnConfigChanged;
        _definitions.Dispose();
    }

    private void OnConfigChanged(RouterConfig snapshot) => Rebuild();

    private async ValueTask ReadAsync(List<string> problems, CancellationToken cancellationToken)
    {
        var rules = StoredDefinitions.Parse(await _store.ListAsync(cancellationToken).ConfigureAwait(false), RuleDefinitions.Parse, "routing rule", problems);
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
