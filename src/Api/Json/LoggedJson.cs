using System.Globalization;
using System.Text;

namespace LlmRouter.Api.Json;

/// <summary>
/// JSON text for the invocation log: characters stay as they are (UTF-8 in the store), only what JSON requires is
/// escaped. System.Text.Json escapes all non-ASCII by default and characters beyond the BMP even when relaxed,
/// which would double CJK text against max_body_bytes and let truncation cut inside an escape.
/// </summary>
internal static class LoggedJson
{
    public static string Text(JsonNode node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject members:
                text.Append('{');
                var first = true;
                foreach (var (name, value) in members)
                {
                    text.Append(first ? "" : ",");
                    first = false;
                    String(text, name);
                    text.Append(':');
                    Write(text, value);
                }
                text.Append('}');
                break;
            case JsonArray items:
                text.Append('[');
                for (var i = 0; i < items.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    Write(text, items[i]);
                }
                text.Append(']');
                break;
            case JsonValue value when value.TryGetValue<string>(out var characters):
                String(text, characters);
                break;
            case null:
                text.Append("null");
                break;
            default:
                // Numbers and booleans hold no characters to escape (other values are rare enough to escape as usual).
                text.Append(node.ToJsonString());
                break;
        }
    }

    private static void String(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (ShortEscape(c) is { } escaped)
            {
                text.Append(escaped);
            }
            else if (c < ' ')
            {
                Escape(text, c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                // A lone surrogate has no UTF-8 form; escaped, the text stays valid.
                Escape(text, c);
            }
            else
            {
                text.Append(c);
            }
        }
        text.Append('"');
    }

    /// <summary>The two-character escape JSON has for <paramref name="c"/>, if it has one.</summary>
    private static string? ShortEscape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => null,
    };

    private static void Escape(StringBuilder text, char c) => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
