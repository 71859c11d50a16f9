using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Grains.Limits;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Limits;

/// <summary>Registers the grains, admission and settlement (the store behind them is registered by the host).</summary>
public static class LimitServiceCollectionExtensions
{
    public static IServiceCollection AddRouterLimits(this IServiceCollection services)
    {
        services.AddSingleton<UsageSettlementQueue>();
        services.AddSingleton<IGrainFactory, GrainFactory>();
        services.AddSingleton<LimitGate>();
        services.AddSingleton<IInvocationListener, UsageSettlementListener>();
        return services;
    }
}
