namespace LlmRouter.Providers.Gemini;

/// <summary>Copies a JSON Schema into Gemini's OpenAPI subset by dropping the keywords it refuses, at every depth.</summary>
internal static class GeminiSchema
{
    /// <summary>JSON Schema keywords Gemini's OpenAPI-subset schemas refuse.</summary>
    private static readonly string[] UnsupportedKeys = ["$schema", "$id", "$comment", "additionalProperties", "strict"];

    public static JsonObject From(JsonObject schema)
    {
        var copy = (JsonObject)schema.DeepClone();
        Strip(copy);
        return copy;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in UnsupportedKeys)
                {
                    obj.Remove(key);
                }
                foreach (var (_, value) in obj)
                {
                    Strip(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strip(item);
                }
                break;
        }
    }
}
