using LlmRouter.LocalModels.Hosting;
using LlmRouter.LocalModels.Placement;
using LlmRouter.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using Orleans.Placement;

namespace LlmRouter.LocalModels;

/// <summary>Registers local models: the <c>llamacpp</c> provider (grain calls) and, on a gpu silo, the models it hosts.</summary>
public static class LocalModelsExtensions
{
    /// <summary>Needs an <c>IRouterConfigSource</c>, a <c>RouterEnvironment</c> and an <c>IGrainFactory</c> (silo or client).</summary>
    public static IServiceCollection AddLocalModels(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LocalModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalModelHost>());
        services.AddSingleton<IProviderAdapter, LlamaCppAdapter>();
        return services;
    }

    /// <summary>On a silo: local-model grains are placed only on gpu silos that host their model, on the least busy of them.</summary>
    public static IServiceCollection AddLocalModelPlacement(this IServiceCollection services)
    {
        services.AddPlacementFilter<GpuHostPlacementFilterStrategy, GpuHostPlacementFilterDirector>(ServiceLifetime.Singleton);
        services.AddPlacementDirector<LeastBusyGpuPlacement, LeastBusyGpuPlacementDirector>();
        return services;
    }
}
