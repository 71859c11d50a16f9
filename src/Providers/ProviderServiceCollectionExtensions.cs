using LlmRouter.Providers.Anthropic;
using LlmRouter.Providers.Gemini;
using LlmRouter.Providers.Ollama;
using LlmRouter.Providers.OpenAiCompatible;
using LlmRouter.Providers.Resilience;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Providers;

/// <summary>Registers the HTTP upstream APIs (OpenAI family, Anthropic, Gemini, Ollama native) and the per-provider resilience.</summary>
public static class ProviderServiceCollectionExtensions
{
    public static IServiceCollection AddProviderAdapters(this IServiceCollection services)
    {
        foreach (var protocol in (IWireProtocol[])[new OpenAiChatProtocol(), new AnthropicMessagesProtocol(), new GeminiProtocol(), new OllamaChatProtocol()])
        {
            services.AddSingleton<IProviderAdapter>(sp =>
                new WireProtocolAdapter(protocol, sp.GetRequiredService<UpstreamHttpClients>(), sp.GetRequiredService<TimeProvider>()));
        }
        services.AddSingleton<ProviderResilience>();
        services.AddSingleton<UpstreamSecretRedactor>();
        services.AddSingleton<IProviderHealthSource>(sp => sp.GetRequiredService<ProviderResilience>());
        return services;
    }
}
