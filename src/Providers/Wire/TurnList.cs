namespace LlmRouter.Providers.Wire;

/// <summary>
/// The turn list of APIs that lift system text out and want roles to alternate (Anthropic's <c>messages</c>,
/// Gemini's <c>contents</c>): a turn of the role just written joins the previous one instead of starting another,
/// and tool results travel in user turns.
/// </summary>
internal static class TurnList
{
    /// <summary>The non-empty system texts in order, and the turns the shape's items make of the other messages.</summary>
    public static (List<string> System, JsonArray Turns) Translate(JsonObject canonical, TurnShape shape)
    {
        var system = new List<string>();
        var turns = new JsonArray();
        foreach (var message in CanonicalMessages.Read(canonical, shape.Upstream))
        {
            switch (message.Role)
            {
                case "system":
                    if (message.Text is { Length: > 0 } text)
                    {
                        system.Add(text);
                    }
                    break;
                case "user":
                    Append(turns, "user", shape.ItemsKey, shape.User(message.Source["content"]));
                    break;
                case "assistant":
                    Append(turns, shape.AssistantRole, shape.ItemsKey, shape.Assistant(message));
                    break;
                default:
                    Append(turns, "user", shape.ItemsKey, [shape.ToolResult(message)]);
                    break;
            }
        }
        return (system, turns);
    }

    private static void Append(JsonArray turns, string role, string itemsKey, List<JsonNode> items)
    {
        if (items.Count == 0)
        {
            return;
        }
        if (turns.Count > 0 && turns[^1] is JsonObject last && JsonRead.String(last["role"]) == role && last[itemsKey] is JsonArray existing)
        {
            foreach (var item in items)
            {
                existing.Add(item);
            }
            return;
        }
        turns.Add(new JsonObject { ["role"] = role, [itemsKey] = new JsonArray([.. items]) });
    }
}

/// <summary>How one API writes turns: the key of a turn's items, the assistant's role name, and each kind of item.</summary>
/// <param name="Upstream">How error messages name the upstream, e.g. "a Gemini upstream".</param>
internal sealed record TurnShape(
    string Upstream,
    string ItemsKey,
    string AssistantRole,
    Func<JsonNode?, List<JsonNode>> User,
    Func<CanonicalMessage, List<JsonNode>> Assistant,
    Func<CanonicalMessage, JsonNode> ToolResult);
