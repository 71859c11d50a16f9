namespace LlmRouter.Toml.Parsing;

/// <summary>Reads literal strings (<c>'...'</c>) and multi-line literal strings (<c>'''...'''</c>), which have no escapes.</summary>
internal static class LiteralStringReader
{
    private const string Delimiter = "'''";

    /// <summary>Reads either form at a '\''; the cursor ends after the closing delimiter.</summary>
    public static string Read(SourceCursor cursor) =>
        cursor.StartsWith(Delimiter) ? ReadMultiline(cursor) : ReadSingleLine(cursor);

    public static string ReadSingleLine(SourceCursor cursor)
    {
        var text = cursor.Text;
        var open = cursor.Index;
        var i = open + 1;
        while (true)
        {
            if (i >= text.Length)
            {
                throw cursor.Error(open, "unterminated string (missing closing \"'\")");
            }

            var c = text[i];
            if (c == '\'')
            {
                break;
            }

            if (c is '\n' or '\r')
            {
                throw cursor.Error(open, "unterminated string: a literal string must end on the line it starts (use ''' for multi-line strings)");
            }

            if (CharKinds.IsForbiddenControl(c))
            {
                throw cursor.Error(i, $"{cursor.Describe(i)} is not allowed in a literal string");
            }

            i++;
        }

        cursor.Index = i + 1;
        return text.Substring(open + 1, i - open - 1);
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
                throw cursor.Error(open, "unterminated multi-line string (missing closing ''')");
            }

            var c = text[i];
            if (c == '\'')
            {
                var quotes = MultilineText.QuoteRun(cursor, i, '\'');
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

            if (c == '\r')
            {
                builder.Append(text, runStart, i - runStart);
                i = MultilineText.AppendCrLf(cursor, i, builder);
                runStart = i;
                continue;
            }

            if (c != '\n' && CharKinds.IsForbiddenControl(c))
            {
                throw cursor.Error(i, $"{cursor.Describe(i)} is not allowed in a literal string");
            }

            i++;
        }
    }
}
