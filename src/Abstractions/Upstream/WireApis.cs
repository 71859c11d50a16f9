namespace LlmRouter.Abstractions.Upstream;

/// <summary>The wire APIs the router speaks to upstreams and to clients; a provider's <c>settings.api</c> names one.</summary>
public static class WireApis
{
    /// <summary>OpenAI chat completions: the canonical format inside the router.</summary>
    public const string OpenAi = "openai";

    /// <summary>Anthropic Messages (POST /v1/messages).</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Gemini generateContent / streamGenerateContent.</summary>
    public const string Gemini = "gemini";

    /// <summary>Ollama's native POST /api/chat with NDJSON streaming.</summary>
    public const string Ollama = "ollama";

    /// <summary>OpenAI's Responses API (POST /v1/responses): spoken natively by OpenAI upstreams, never the canonical format.</summary>
    public const string OpenAiResponses = "openai-responses";
}
