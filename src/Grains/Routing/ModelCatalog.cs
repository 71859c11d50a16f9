namespace LlmRouter.Grains.Routing;

/// <summary>
/// Resolves what clients call a model (<c>provider/model</c>, a group name, or a bare name) against one
/// configuration snapshot. Built once per snapshot; lookups allocate nothing.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, ResolvedModel> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ResolvedModel>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProviderConfig> _providers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelGroupConfig> _groups = new(StringComparer.Ordinal);

    public ModelCatalog(RouterConfig config)
    {
        Config = config;
        foreach (var provider in config.Providers)
        {
            if (provider.IsActive)
            {
                _providers[provider.Name] = provider;
            }
        }
        var models = new List<ResolvedModel>();
        foreach (var model in config.Models)
        {
            if (!model.IsActive || !_providers.TryGetValue(model.Provider, out var provider))
            {
                continue;
            }
            var resolved = new ResolvedModel(model, provider);
            models.Add(resolved);
            _byId[model.Id] = resolved;
            if (!_byName.TryGetValue(model.Name, out var sameName))
            {
                _byName[model.Name] = sameName = [];
            }
            sameName.Add(resolved);
        }
        Models = models;
        foreach (var group in config.ModelGroups)
        {
            _groups.TryAdd(group.Name, group);
        }
    }

    public RouterConfig Config { get; }

    /// <summary>Active models of active providers, in configuration order.</summary>
    public IReadOnlyList<ResolvedModel> Models { get; }

    public ProviderConfig? Provider(string name) => _providers.GetValueOrDefault(name);

    public ModelGroupConfig? Group(string name) => _groups.GetValueOrDefault(name);

    /// <summary>
    /// Resolves <c>provider/model</c> first, then a [[model_groups]] name (answering the group and its first active
    /// member, so callers unaware of groups still reach a model); a provider with
    /// <c>settings.allow_unlisted_models = true</c> also serves model names it does not list. A bare name resolves
    /// when exactly one active model has it.
    /// </summary>
    public ModelResolution Resolve(string name)
    {
        if (_byId.TryGetValue(name, out var exact))
        {
            return ModelResolution.Found(exact);
        }
        if (_groups.TryGetValue(name, out var group))
        {
            return FirstMember(group, depth: 0) is { } member
                ? ModelResolution.Found(member) with { Group = group }
                : new ModelResolution
                {
                    Error = ModelResolutionError.NotFound,
                    Message = $"The model group '{name}' has no active member.",
                };
        }
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < name.Length - 1 && _providers.TryGetValue(name[..slash], out var provider)
            && provider.SettingFlag("allow_unlisted_models"))
        {
            return ModelResolution.Found(new ResolvedModel(new ModelConfig { Name = name[(slash + 1)..], Provider = provider.Name }, provider));
        }
        if (_byName.TryGetValue(name, out var sameName))
        {
            if (sameName.Count == 1)
            {
                return ModelResolution.Found(sameName[0]);
            }
            var candidates = sameName.Select(m => m.Id).ToArray();
            return new ModelResolution
            {
                Error = ModelResolutionError.Ambiguous,
                Candidates = candidates,
                Message = $"model '{name}' is ambiguous: use one of {string.Join(", ", candidates)}",
            };
        }
        return new ModelResolution
        {
            Error = ModelResolutionError.NotFound,
            Message = $"The model '{name}' does not exist or is not active. Use 'provider/model' as listed by GET /v1/models.",
        };
    }

    /// <summary>The active models a group reaches through its members (nested groups included, cycles not followed).</summary>
    public IReadOnlyList<ResolvedModel> Members(ModelGroupConfig group)
    {
        var found = new List<ResolvedModel>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void Walk(ModelGroupConfig current)
        {
            if (!visited.Add(current.Name))
            {
                return;
            }
            foreach (var member in current.Members)
            {
                if (_byId.TryGetValue(member.Model, out var model))
                {
                    found.Add(model);
                }
                else if (_groups.TryGetValue(member.Model, out var inner))
                {
                    Walk(inner);
                }
            }
        }
        Walk(group);
        return found;
    }

    /// <summary>The first active model a group reaches in configuration order (through nested groups, not through cycles).</summary>
    private ResolvedModel? FirstMember(ModelGroupConfig group, int depth)
    {
        if (depth > _groups.Count)
        {
            return null;
        }
        foreach (var member in group.Members)
        {
            if (_byId.TryGetValue(member.Model, out var model))
            {
                return model;
            }
            if (_groups.TryGetValue(member.Model, out var inner) && FirstMember(inner, depth + 1) is { } nested)
            {
                return nested;
            }
        }
        return null;
    }
}
