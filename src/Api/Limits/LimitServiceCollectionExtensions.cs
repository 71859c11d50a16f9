using LlmRouter.Abstractions.Invocations;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Limits;

/// <summary>Registers admission and settlement (the grains behind them run in the host's Orleans silo; the usage counters, read from the log, are registered by the host).</summary>
public static class LimitServiceCollectionExtensions
{
    public static IServiceCollection AddRouterLimits(this IServiceCollection services)
    {
        services.AddSingleton<LimitGrainCalls>();
        services.AddSingleton<PendingSettlements>();
        services.AddSingleton<LimitGate>();
        services.AddSingleton<IInvocationListener, UsageSettlementListener>();
        return services;
    }
}
