using LlmRouter.Abstractions.Metrics;
using LlmRouter.Grains.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Upstream;

/// <summary>Composes the router's way upstream: the one place its decorators are put around it, in a fixed order.</summary>
public static class ChatUpstreamServiceExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TUpstream"/> as <see cref="IChatUpstream"/> behind, outermost first: error metering
    /// (<see cref="MeteredChatUpstream"/>), then in-flight counting, once a call (<see cref="InFlightChatUpstream"/>).
    /// </summary>
    public static IServiceCollection AddChatUpstream<TUpstream>(this IServiceCollection services) where TUpstream : class, IChatUpstream
    {
        services.AddSingleton<TUpstream>();
        services.AddSingleton<IChatUpstream>(sp =>
        {
            var metrics = sp.GetRequiredService<IRouterMetrics>();
            var counted = new InFlightChatUpstream(sp.GetRequiredService<TUpstream>(), sp.GetRequiredService<InFlightTracker>(), metrics);
            return new MeteredChatUpstream(counted, metrics);
        });
        return services;
    }
}
