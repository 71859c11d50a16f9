using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Grains.Tests.Routing;

/// <summary>A configuration source that never changes.</summary>
internal sealed class StaticConfig(RouterConfig config) : IRouterConfigSource
{
    public RouterConfig Current => config;

    public event Action<RouterConfig>? Changed
    {
        add { }
        remove { }
    }
}
