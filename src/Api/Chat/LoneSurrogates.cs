namespace LlmRouter.Api.Chat;

/// <summary>
/// Finds JSON strings whose escapes encode a lone UTF-16 surrogate (<c>"\ud800"</c>): valid JSON syntax, but no
/// .NET string can hold it, so reading such a value later would throw deep inside a handler.
/// </summary>
internal static class LoneSurrogates
{
    public static bool Any(ReadOnlySpan<byte> json, JsonReaderOptions options)
    {
        // Only escaped strings can hold one; most bodies have none and skip the second pass.
        if (json.IndexOf("\\u"u8) < 0 && json.IndexOf("\\U"u8) < 0)
        {
            return false;
        }
        var reader = new Utf8JsonReader(json, options);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
