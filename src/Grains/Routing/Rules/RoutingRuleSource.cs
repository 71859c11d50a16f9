using System.Text.Json;
using System.Text.Json.Nodes;
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
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Lock _gate = new();
    private IReadOnlyList<RoutingRuleConfig> _stored = [];
    private long _revision = -1;
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
    public async ValueTask<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var revision = await _store.RevisionAsync(cancellationToken).ConfigureAwait(false);
            if (revision == _revision)
            {
                return [];
            }
            var problems = new List<string>();
            var rules = new List<RoutingRuleConfig>();
            foreach (var document in await _store.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    rules.Add(RuleDefinitions.Parse(JsonNode.Parse(document.Json)!.AsObject()));
                }
                catch (Exception exception) when (exception is DefinitionException or JsonException or InvalidOperationException)
                {
                    problems.Add($"stored routing rule '{document.Key}' is left out: {exception.Message}");
                }
            }
            lock (_gate)
            {
                _stored = rules;
                _revision = revision;
            }
            Rebuild();
            return problems;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose()
    {
        _config.Changed -= OnConfigChanged;
        _refresh.Dispose();
    }

    private void OnConfigChanged(RouterConfig snapshot) => Rebuild();

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
