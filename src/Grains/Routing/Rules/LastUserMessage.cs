using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmRouter.Grains.Routing.Rules;

/// <summary>The text rules look at: the last <c>user</c> message of a canonical (OpenAI) chat body, its text parts joined by newlines.</summary>
public static class LastUserMessage
{
    public static string Of(JsonObject body)
    {
        if (body["messages"] is not JsonArray messages)
        {
            return "";
        }
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i] is JsonObject message && message["role"] is JsonValue role
                && role.GetValueKind() == JsonValueKind.String && role.GetValue<string>() == "user")
            {
                return Text(message["content"]);
            }
        }
        return "";
    }

    private static string Text(JsonNode? content)
    {
        switch (content)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return value.GetValue<string>();
            case JsonArray parts:
                var text = new StringBuilder();
                foreach (var part in parts)
                {
                    if (part?["text"] is JsonValue piece && piece.GetValueKind() == JsonValueKind.String)
                    {
                        if (text.Length > 0)
                        {
                            text.Append('\n');
                        }
                        text.Append(piece.GetValue<string>());
                    }
                }
                return text.ToString();
            default:
                return "";
        }
    }
}
