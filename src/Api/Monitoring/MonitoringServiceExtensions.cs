using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace LlmRouter.Api.Monitoring;

/// <summary>Registers the router's metrics and their OpenTelemetry export for GET /metrics.</summary>
public static class MonitoringServiceExtensions
{
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
        return services;
    }
}
