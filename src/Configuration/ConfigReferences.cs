namespace LlmRouter.Configuration;

/// <summary>
/// Checks across router.toml's sections: names are unique (metrics and the invocation log's api_key filter tell keys
/// apart by name), models name a defined provider, and groups name defined models or groups.
/// </summary>
internal static class ConfigReferences
{
    public static void Check(
        RouterConfig config, IReadOnlyList<TomlSection> providers, IReadOnlyList<TomlSection> models, IReadOnlyList<TomlSection> groups,
        IReadOnlyList<TomlSection> keys)
    {
        var providerNames = DefinedNames.Of("provider", config.Providers.Select(p => p.Name), providers);
        var ids = new DefinedNames("model");
        for (var i = 0; i < config.Models.Count; i++)
        {
            var model = config.Models[i];
            if (!providerNames.Contains(model.Provider))
            {
                throw models[i].Error("provider", $"{models[i].Name} '{model.Name}' names provider '{model.Provider}', which is not defined in [[providers]]");
            }
            ids.Add(model.Id, models[i]);
        }
        var groupNames = config.ModelGroups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < config.ModelGroups.Count; i++)
        {
            foreach (var member in config.ModelGroups[i].Members)
            {
                if (!ids.Contains(member.Model) && !groupNames.Contains(member.Model))
                {
                    throw groups[i].Error("members", $"{groups[i].Name} member '{member.Model}' is neither a defined model ('provider/name') nor a group");
                }
            }
        }
        DefinedNames.Of("api key", config.ApiKeys.Select(k => k.Name), keys);
    }
}
