namespace LlmRouter.Providers.Wire;

/// <summary>OpenAI sends tool-call arguments as JSON text; Anthropic, Gemini and Ollama want the object itself.</summary>
internal static class ToolArguments
{
    public static JsonObject Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new TranslationFailure("tool call arguments must be a JSON object");
        }
        catch (JsonException)
        {
            throw new TranslationFailure("tool call arguments are not valid JSON");
        }
    }
}
