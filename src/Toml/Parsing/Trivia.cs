namespace LlmRouter.Toml.Parsing;

/// <summary>Whitespace, comments and line breaks between TOML tokens.</summary>
internal static class Trivia
{
    public static void SkipSpaces(SourceCursor cursor)
    {
        while (cursor.Peek() is ' ' or '\t')
        {
            cursor.Advance();
        }
    }

    /// <summary>True at a line break (LF or CRLF); a carriage return without a line feed is an error.</summary>
    public static bool AtNewline(SourceCursor cursor)
    {
        var c = cursor.Peek();
        if (c == '\n')
        {
            return true;
        }

        if (c != '\r')
        {
            return false;
        }

        return cursor.Peek(1) == '\n' ? true : throw BareCarriageReturn(cursor, cursor.Index);
    }

    /// <summary>Consumes a line break if there is one.</summary>
    public static bool TryConsumeNewline(SourceCursor cursor)
    {
        if (!AtNewline(cursor))
        {
            return false;
        }

        cursor.Advance(cursor.Peek() == '\r' ? 2 : 1);
        return true;
    }

    /// <summary>Skips a comment starting at '#', up to but not including the line break.</summary>
    public static void SkipComment(SourceCursor cursor)
    {
        var text = cursor.Text;
        var i = cursor.Index + 1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                break;
            }

            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    break;
                }

                throw BareCarriageReturn(cursor, i);
            }

            if (CharKinds.IsForbiddenControl(c))
            {
                throw cursor.Error(i, $"{cursor.Describe(i)} is not allowed in a comment");
            }
        }

        cursor.Index = i;
    }

    /// <summary>Requires the rest of the line to be blank or a comment, and consumes it with its line break.</summary>
    public static void ExpectLineEnd(SourceCursor cursor, string after)
    {
        SkipSpaces(cursor);
        if (cursor.Peek() == '#')
        {
            SkipComment(cursor);
        }

        if (!cursor.AtEnd && !TryConsumeNewline(cursor))
        {
            throw cursor.Error($"expected end of line after {after}, found {cursor.DescribeCurrent()}");
        }
    }

    /// <summary>Skips whitespace, comments and line breaks, as allowed between array elements.</summary>
    public static void SkipBlankLinesAndComments(SourceCursor cursor)
    {
        while (true)
        {
            SkipSpaces(cursor);
            if (cursor.Peek() == '#')
            {
                SkipComment(cursor);
            }

            if (!TryConsumeNewline(cursor))
            {
                return;
            }
        }
    }

    public static TomlException BareCarriageReturn(SourceCursor cursor, int index) =>
        cursor.Error(index, "carriage return (U+000D) must be followed by a line feed");
}
