using LlmRouter.Providers.Anthropic;
using LlmRouter.Providers.Gemini;
using LlmRouter.Providers.Ollama;
using LlmRouter.Providers.OpenAiCompatible;
using LlmRouter.Providers.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Providers;

/// <summary>
/// Registers the HTTP upstream APIs (OpenAI family, Anthropic, Gemini, Ollama native) and the per-provider resilience;
/// the OpenAI family's adapter falls back to chat for upstreams without the Responses API (<see cref="ResponsesApiFallback"/>).
/// </summary>
public static class ProviderServiceCollectionExtensions
{
    public static IServiceCollection AddProviderAdapters(this IServiceCollection services)
    {
        services.AddSingleton<IProviderAdapter>(sp =>
            new ResponsesApiFallback(Adapter(sp, new OpenAiChatProtocol()), sp.GetRequiredService<ILogger<ResponsesApiFallback>>()));
        foreach (var protocol in (IWireProtocol[])[new AnthropicMessagesProtocol(), new GeminiProtocol(), new OllamaChatProtocol()])
        {
            services.AddSingleton<IProviderAdapter>(sp => Adapter(sp, protocol));
        }
        services.AddSingleton<ProviderResilience>();
        services.AddSingleton<UpstreamSecretRedactor>();
        services.AddSingleton<IProviderHealthSource>(sp => sp.GetRequiredService<ProviderResilience>());
        return services;
    }

    private static WireProtocolAdapter Adapter(IServiceProvider services, IWireProtocol protocol) =>
        new(protocol, services.GetRequiredService<UpstreamHttpClients>(), services.GetRequiredService<TimeProvider>());
}
