using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Metrics;
using LlmRouter.Abstractions.Upstream;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Monitoring;

/// <summary>Registers the router's metrics and puts the metering wrapper around the registered <see cref="IChatUpstream"/>.</summary>
public static class MonitoringServiceExtensions
{
    /// <summary>Call after <see cref="IChatUpstream"/> is registered: the registration found last is the one wrapped.</summary>
    public static IServiceCollection AddRouterMonitoring(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<RouterMetrics>();
        services.AddSingleton<IRouterMetrics>(sp => sp.GetRequiredService<RouterMetrics>());
        services.AddSingleton<IInvocationListener>(sp => sp.GetRequiredService<RouterMetrics>());

        var upstream = services.LastOrDefault(d => d.ServiceType == typeof(IChatUpstream) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("Register IChatUpstream before calling AddRouterMonitoring.");
        services.Remove(upstream);
        services.Add(new ServiceDescriptor(typeof(IChatUpstream),
            sp => new MeteredChatUpstream(Create(sp, upstream), sp.GetRequiredService<IRouterMetrics>()), upstream.Lifetime));
        return services;
    }

    private static IChatUpstream Create(IServiceProvider services, ServiceDescriptor descriptor) => (IChatUpstream)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
