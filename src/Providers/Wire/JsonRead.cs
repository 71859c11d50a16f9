namespace LlmRouter.Providers.Wire;

/// <summary>Tolerant readers for values in request and response JSON: a wrong kind reads as absent.</summary>
internal static class JsonRead
{
    /// <summary>A member of an object; null when the node is no object (indexing a value or an array would throw).</summary>
    public static JsonNode? Member(JsonNode? node, string name) => node is JsonObject obj ? obj[name] : null;

    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool? Bool(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public static long? Long(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long number) ? number
        : node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue(out double real) && real == Math.Floor(real) ? (long)real
        : null;

    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long? Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    public static JsonElement? Property(JsonElement element, string name, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : null;

    /// <summary>The text of a message's content: a string, or the text parts of an array joined.</summary>
    public static string? Text(JsonNode? content)
    {
        if (String(content) is { } text)
        {
            return text;
        }
        if (content is not JsonArray parts)
        {
            return null;
        }
        var joined = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            if (String(Member(part, "type")) == "text" && String(Member(part, "text")) is { } piece)
            {
                joined.Append(piece);
            }
        }
        return joined.ToString();
    }
}
