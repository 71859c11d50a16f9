using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Abstractions.Upstream;

/// <summary>
/// Which wire API a provider is spoken to in. By default the type decides (claude/anthropic speak Anthropic
/// Messages, gemini speaks Gemini, the rest OpenAI chat completions, ollama included through its /v1 endpoint);
/// <c>settings.api</c> overrides it with a <see cref="WireApis"/> name, or <c>"native"</c> for the type's own API.
/// </summary>
public static class ProviderApis
{
    public const string SettingKey = "api";
    public const string Native = "native";

    public static string Of(ProviderConfig provider)
    {
        var api = provider.Setting(SettingKey);
        return api switch
        {
            null or "" => DefaultFor(provider.Type),
            Native => NativeFor(provider.Type),
            _ => api,
        };
    }

    private static string DefaultFor(string type) => type switch
    {
        ProviderTypes.Claude or ProviderTypes.Anthropic => WireApis.Anthropic,
        ProviderTypes.Gemini => WireApis.Gemini,
        _ => WireApis.OpenAi,
    };

    private static string NativeFor(string type) => type switch
    {
        ProviderTypes.Ollama => WireApis.Ollama,
        _ => DefaultFor(type),
    };
}
