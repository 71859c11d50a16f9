namespace LlmRouter.Providers.Wire;

/// <summary>
/// Reads the messages of a canonical (OpenAI chat) body the way every translating request builder needs them:
/// roles checked (<c>developer</c> reads as <c>system</c>), user content as text and image parts, tool calls with
/// their arguments as objects, and each tool result with the function name of the call it answers.
/// </summary>
internal static class CanonicalMessages
{
    /// <summary>The messages in order; a role the upstream has no word for fails the translation.</summary>
    /// <param name="upstream">How error messages name the upstream, e.g. "an Anthropic upstream".</param>
    public static IEnumerable<CanonicalMessage> Read(JsonObject canonical, string upstream)
    {
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in canonical["messages"] as JsonArray ?? [])
        {
            if (node is not JsonObject message)
            {
                continue;
            }
            var role = JsonRead.String(message["role"]);
            switch (role)
            {
                case "system" or "developer":
                    yield return new CanonicalMessage("system", message);
                    break;
                case "user":
                    yield return new CanonicalMessage("user", message);
                    break;
                case "assistant":
                    var calls = ToolCalls(message);
                    foreach (var call in calls)
                    {
                        if (call.Id is { } id)
                        {
                            toolNames[id] = call.Name;
                        }
                    }
                    yield return new CanonicalMessage("assistant", message) { ToolCalls = calls };
                    break;
                case "tool":
                    var answered = JsonRead.String(message["tool_call_id"]) ?? "";
                    yield return new CanonicalMessage("tool", message) { ToolName = toolNames.GetValueOrDefault(answered) };
                    break;
                default:
                    throw new TranslationFailure($"messages with role '{role}' cannot be sent to {upstream}");
            }
        }
    }

    /// <summary>A user turn's parts, read lazily: string content is one text part; an array's parts must be text or image_url.</summary>
    public static IEnumerable<CanonicalPart> UserParts(JsonNode? content, string upstream)
    {
        if (JsonRead.String(content) is { } text)
        {
            yield return new CanonicalPart(text, null);
            yield break;
        }
        foreach (var item in content as JsonArray ?? [])
        {
            var type = JsonRead.String(JsonRead.Member(item, "type"));
            yield return type switch
            {
                "text" => new CanonicalPart(JsonRead.String(item!["text"]) ?? "", null),
                "image_url" => new CanonicalPart(null, ImageUrl(item!["image_url"])),
                _ => throw new TranslationFailure($"content parts of type '{type}' cannot be sent to {upstream}"),
            };
        }
    }

    /// <summary><c>image_url</c> is an object with a <c>url</c>; some clients write the URL itself.</summary>
    private static string ImageUrl(JsonNode? imageUrl) =>
        (imageUrl is JsonObject image ? JsonRead.String(image["url"]) : JsonRead.String(imageUrl)) ?? "";

    private static List<CanonicalToolCall> ToolCalls(JsonObject message)
    {
        var calls = new List<CanonicalToolCall>();
        if (message["tool_calls"] is not JsonArray items)
        {
            return calls;
        }
        foreach (var item in items)
        {
            var function = JsonRead.Member(item, "function");
            calls.Add(new CanonicalToolCall(
                JsonRead.String(JsonRead.Member(item, "id")), JsonRead.String(JsonRead.Member(function, "name")) ?? "", ToolArguments.Parse(JsonRead.String(JsonRead.Member(function, "arguments")))));
        }
        return calls;
    }
}

/// <summary>One canonical message, its role normalized; <see cref="ToolName"/> is set on tool results whose call was seen.</summary>
internal sealed record CanonicalMessage(string Role, JsonObject Source)
{
    public IReadOnlyList<CanonicalToolCall> ToolCalls { get; init; } = [];

    /// <summary>The function name of the call a tool result answers, when an earlier assistant turn made it.</summary>
    public string? ToolName { get; init; }

    /// <summary>The content as text: a string, or the text parts joined.</summary>
    public string? Text => JsonRead.Text(Source["content"]);

    /// <summary>The call id a tool result answers.</summary>
    public string ToolCallId => JsonRead.String(Source["tool_call_id"]) ?? "";
}

/// <summary>A tool call of an assistant turn, its arguments parsed into an object.</summary>
internal sealed record CanonicalToolCall(string? Id, string Name, JsonObject Arguments);

/// <summary>A part of a user turn: text, or an image by URL (<c>""</c> when the part has none).</summary>
internal sealed record CanonicalPart(string? Text, string? ImageUrl)
{
    /// <summary>The image URL, which translations that fetch or inline an image cannot do without.</summary>
    public string RequiredImageUrl => string.IsNullOrEmpty(ImageUrl) ? throw new TranslationFailure("an image_url part has no url") : ImageUrl;
}
