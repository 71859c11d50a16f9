using LlmRouter.Abstractions.Upstream;
using LlmRouter.Providers.Anthropic;
using LlmRouter.Providers.Gemini;
using LlmRouter.Providers.Ollama;
using LlmRouter.Providers.Resilience;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Providers;

/// <summary>Registers the translating adapters (Anthropic, Gemini, Ollama native) and the per-provider resilience.</summary>
public static class ProviderServiceCollectionExtensions
{
    public static IServiceCollection AddTranslatingProviders(this IServiceCollection services)
    {
        services.AddSingleton<IProviderAdapter, AnthropicMessagesAdapter>();
        services.AddSingleton<IProviderAdapter, GeminiAdapter>();
        services.AddSingleton<IProviderAdapter, OllamaChatAdapter>();
        services.AddSingleton<ProviderResilience>();
        services.AddSingleton<UpstreamSecretRedactor>();
        services.AddSingleton<IProviderHealthSource>(sp => sp.GetRequiredService<ProviderResilience>());
        return services;
    }
}
