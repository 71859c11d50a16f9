using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Metrics;
using LlmRouter.Abstractions.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// Registers the router's metrics, their OpenTelemetry export for GET /metrics, and puts the metering wrapper
/// around the registered <see cref="IChatUpstream"/>.
/// </summary>
public static class MonitoringServiceExtensions
{
    /// <summary>Call after <see cref="IChatUpstream"/> is registered: the registration found last is the one wrapped.</summary>
    public static IServiceCollection AddRouterMonitoring(this IServiceCollection services)
    {
        // Meters are enabled through the metrics builder rather than MeterProviderBuilder.AddMeter, which would
        // listen to every meter of that name in the process, other nodes' included.
        services.AddMetrics(metrics =>
        {
            foreach (var meter in ExportedMeters.PerNode)
            {
                metrics.EnableMetrics(meter, instrumentName: null, listenerName: null, MeterScope.Local);
            }
            foreach (var meter in ExportedMeters.PerProcess)
            {
                metrics.EnableMetrics(meter, instrumentName: null, listenerName: null, MeterScope.Global);
            }
        });
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.Clear().AddDetector(sp => new NodeResourceDetector(sp.GetRequiredService<NodeInfo>())))
            .WithMetrics(metrics =>
            {
                foreach (var (instrument, name) in CountGaugeNames.Renames)
                {
                    metrics.AddView(instrument, name);
                }
                metrics.AddPrometheusExporter(prometheus =>
                {
                    // A scrape right after a call must see it.
                    prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                    prometheus.ScopeInfoEnabled = false;
                    prometheus.ResourceConstantLabels = attribute => attribute == NodeResourceDetector.NodeAttribute;
                });
            });

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
