using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Api.Pipeline;

/// <summary>Registers the chat pipeline's steps.</summary>
public static class PipelineServiceExtensions
{
    public static IServiceCollection AddChatPipeline(this IServiceCollection services)
    {
        services.AddSingleton<RouteStep>();
        services.AddSingleton<AdmitStep>();
        services.AddSingleton<InvocationRecorder>();
        services.AddSingleton<StreamRelay>();
        services.AddSingleton<FallbackLoop>();
        services.AddSingleton<ChatPipeline>();
        return services;
    }
}
