namespace LlmRouter.Silo;

/// <summary>A configuration that never changes: what one-shot commands (the CLI) run against.</summary>
internal sealed class FixedConfigSource(RouterConfig config) : IRouterConfigSource
{
    public RouterConfig Current => config;

    public event Action<RouterConfig>? Changed
    {
        add { }
        remove { }
    }
}
