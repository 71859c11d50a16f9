using System.Text;

namespace LlmRouter.Toml.Parsing;

/// <summary>Reads basic strings (<c>"..."</c>) and multi-line basic strings (<c>"""..."""</c>), resolving escapes.</summary>
internal static class BasicStringReader
{
    private const string Delimiter = "\"\"\"";

    /// <summary>Reads either form at a '"'; the cursor ends after the closing delimiter.</summary>
    public static string Read(SourceCursor cursor) =>
        cursor.StartsWith(Delimiter) ? ReadMultiline(cursor) : ReadSingleLine(cursor);

    public static string ReadSingleLine(SourceCursor cursor)
    {
        var text = cursor.Text;
        var open = cursor.Index;
        var i = open + 1;
        var runStart = i;
        StringBuilder? builder = null;
        while (true)
        {
            if (i >= text.Length)
            {
                throw cursor.Error(open, "unterminated string (missing closing '\"')");
            }

            var c = text[i];
            if (c == '"')
            {
                break;
            }

            if (c == '\\')
            {
                builder ??= cursor.Scratch.Clear();
                builder.Append(text, runStart, i - runStart);
                i = AppendEscape(cursor, i, builder);
                runStart = i;
                continue;
            }

            if (c is '\n' or '\r')
            {
                throw cursor.Error(open, "unterminated string: a basic string must end on the line it starts (use \"\"\" for multi-line strings)");
            }

            if (CharKinds.IsForbiddenControl(c))
            {
                throw cursor.Error(i, $"{cursor.Describe(i)} must be escaped in a string");
            }

            i++;
        }

        cursor.Index = i + 1;
        if (builder is null)
        {
            return text.Substring(open + 1, i - open - 1);
        }

        builder.Append(text, runStart, i - runStart);
        return builder.ToString();
    }

    private static string ReadMultiline(SourceCursor cursor)
    {
        var text = cursor.Text;
        var open = cursor.Index;
        var i = MultilineText.SkipOpeningNewline(cursor, open + Delimiter.Length);
        var builder = cursor.Scratch.Clear();
        var runStart = i;
        while (true)
        {
            if (i >= text.Length)
            {
                throw cursor.Error(open, "unterminated multi-line string (missing closing \"\"\")");
            }

            var c = text[i];
            if (c == '"')
            {
                var quotes = MultilineText.QuoteRun(cursor, i, '"');
                if (quotes < 3)
                {
                    i += quotes;
                    continue;
                }

                // Up to two quotes may sit just inside the closing delimiter; they belong to the content.
                builder.Append(text, runStart, i + quotes - 3 - runStart);
                cursor.Index = i + quotes;
                return builder.ToString();
            }

            if (c == '\\')
            {
                builder.Append(text, runStart, i - runStart);
                var next = i + 1 < text.Length ? text[i + 1] : '\0';
                i = next is ' ' or '\t' or '\n' or '\r'
                    ? SkipLineEndingBackslash(cursor, i)
                    : AppendEscape(cursor, i, builder);
                runStart = i;
                continue;
            }

            if (c == '\r')
            {
                builder.Append(text, runStart, i - runStart);
                i = MultilineText.AppendCrLf(cursor, i, builder);
                runStart = i;
                continue;
            }

            if (c != '\n' && CharKinds.IsForbiddenControl(c))
            {
                throw cursor.Error(i, $"{cursor.Describe(i)} must be escaped in a string");
            }

            i++;
        }
    }

    /// <summary>Handles a backslash at the end of a line: it removes the line break and all whitespace after it.</summary>
    private static int SkipLineEndingBackslash(SourceCursor cursor, int backslash)
    {
        var text = cursor.Text;
        var i = backslash + 1;
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i >= text.Length || text[i] is not ('\n' or '\r'))
        {
            throw cursor.Error(backslash, "invalid escape sequence: a '\\' followed by whitespace must be the last thing on its line");
        }

        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r')
        {
            if (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))
            {
                throw Trivia.BareCarriageReturn(cursor, i);
            }

            i++;
        }

        return i;
    }

    /// <summary>Decodes the escape sequence at <paramref name="backslash"/> into <paramref name="builder"/>; returns the index after it.</summary>
    private static int AppendEscape(SourceCursor cursor, int backslash, StringBuilder builder)
    {
        var text = cursor.Text;
        if (backslash + 1 >= text.Length)
        {
            throw cursor.Error(backslash, "unterminated string (the file ends after '\\')");
        }

        var escaped = text[backslash + 1];
        switch (escaped)
        {
            case 'b': builder.Append('\b'); break;
            case 't': builder.Append('\t'); break;
            case 'n': builder.Append('\n'); break;
            case 'f': builder.Append('\f'); break;
            case 'r': builder.Append('\r'); break;
            case '"': builder.Append('"'); break;
            case '\\': builder.Append('\\'); break;
            case 'u': return AppendCodePoint(cursor, backslash, 4, builder);
            case 'U': return AppendCodePoint(cursor, backslash, 8, builder);
            default:
                throw cursor.Error(backslash, escaped is > ' ' and <= '~'
                    ? $"invalid escape sequence '\\{escaped}'"
                    : $"invalid escape sequence: '\\' followed by {cursor.Describe(backslash + 1)}");
        }

        return backslash + 2;
    }

    private static int AppendCodePoint(SourceCursor cursor, int backslash, int digitCount, StringBuilder builder)
    {
        var text = cursor.Text;
        var first = backslash + 2;
        var value = 0;
        for (var i = first; i < first + digitCount; i++)
        {
            if (i >= text.Length || !char.IsAsciiHexDigit(text[i]))
            {
                var letter = text[backslash + 1];
                throw cursor.Error(backslash, $"invalid escape sequence '{text[backslash..Math.Min(i + 1, text.Length)]}': \\{letter} needs exactly {digitCount} hexadecimal digits");
            }

            // Eight hex digits can exceed int, so stop growing once the value is already out of range.
            value = value > 0x10FFFF ? value : (value << 4) | CharKinds.HexValue(text[i]);
        }

        if (!Rune.IsValid(value))
        {
            throw cursor.Error(backslash, $"escape sequence '{text.AsSpan(backslash, digitCount + 2)}' is not a Unicode scalar value (surrogates and values above 10FFFF are not allowed)");
        }

        Span<char> utf16 = stackalloc char[2];
        var length = new Rune(value).EncodeToUtf16(utf16);
        builder.Append(utf16[..length]);
        return first + digitCount;
    }
}
