namespace LlmRouter.Api.Json;

/// <summary>Safe steps through parsed JSON whose shape a remote party decided.</summary>
public static class JsonNodes
{
    /// <summary>The first item of an array (OpenAI's <c>choices[0]</c>), or null when it is missing or empty.</summary>
    public static JsonNode? First(JsonNode? array) => array is JsonArray { Count: > 0 } items ? items[0] : null;

    /// <summary>The node's string, or null when it is missing or not a JSON string.</summary>
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
