using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Abstractions.Upstream;

/// <summary>
/// Which wire API a provider is spoken to in. By default the type decides (claude/anthropic speak Anthropic
/// Messages, gemini speaks Gemini, the rest OpenAI chat completions, ollama included through its /v1 endpoint);
/// <c>settings.api</c> overrides it with a <see cref="WireApis"/> name, or <c>"native"</c> for the type's own API.
/// Requests of Responses API clients go to the provider's own Responses API when <see cref="ServesResponses"/>.
/// </summary>
public static class ProviderApis
{
    public const string SettingKey = "api";
    public const string Native = "native";

    /// <summary>The provider setting that turns the Responses API passthrough on or off.</summary>
    public const string ResponsesApiSettingKey = "responses_api";

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

    /// <summary>
    /// True when an OpenAI-family provider gets a Responses client's request as it is at its own POST /v1/responses:
    /// type <c>openai</c> unless <c>settings.responses_api = false</c>, another type only with <c>responses_api = true</c>
    /// (local llama.cpp models are served in-process, never over HTTP).
    /// </summary>
    public static bool ServesResponses(ProviderConfig provider) =>
        Of(provider) == WireApis.OpenAi && provider.Type != ProviderTypes.LlamaCpp
        && (provider.Settings.TryGetValue(ResponsesApiSettingKey, out var value) && value is bool flag ? flag : provider.Type == ProviderTypes.OpenAi);

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
