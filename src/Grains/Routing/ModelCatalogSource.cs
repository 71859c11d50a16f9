namespace LlmRouter.Grains.Routing;

/// <summary>Keeps the catalog of the configuration snapshot in force, rebuilt once per reload.</summary>
public sealed class ModelCatalogSource
{
    private readonly IRouterConfigSource _config;
    private volatile ModelCatalog _current;

    public ModelCatalogSource(IRouterConfigSource config)
    {
        _config = config;
        _current = new ModelCatalog(config.Current);
        config.Changed += snapshot => _current = new ModelCatalog(snapshot);
    }

    public ModelCatalog Current
    {
        get
        {
            var current = _current;
            // A reload may land between the event and this read; never serve a stale snapshot for long.
            return ReferenceEquals(current.Config, _config.Current) ? current : _current = new ModelCatalog(_config.Current);
        }
    }
}
