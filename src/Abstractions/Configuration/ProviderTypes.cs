namespace LlmRouter.Abstractions.Configuration;

/// <summary>The provider types router.toml may name.</summary>
public static class ProviderTypes
{
    public const string OpenAi = "openai";
    public const string DeepSeek = "deepseek";
    public const string Qwen = "qwen";
    public const string Kimi = "kimi";
    public const string Glm = "glm";
    public const string OpenRouter = "openrouter";
    public const string Grok = "grok";
    public const string Vllm = "vllm";
    public const string Ollama = "ollama";
    public const string Transformers = "transformers";
    public const string Claude = "claude";
    public const string Anthropic = "anthropic";
    public const string Gemini = "gemini";
    public const string LlamaCpp = "llamacpp";

    /// <summary>Every type this build knows, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [OpenAi, Claude, Anthropic, Gemini, DeepSeek, Qwen, Kimi, Glm, OpenRouter, Grok, Ollama, Vllm, Transformers, LlamaCpp];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
