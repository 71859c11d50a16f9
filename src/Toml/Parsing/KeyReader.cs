namespace LlmRouter.Toml.Parsing;

/// <summary>Reads bare, quoted and dotted keys.</summary>
internal static class KeyReader
{
    /// <summary>Reads a key at the cursor and the whitespace after it.</summary>
    public static List<KeySegment> Read(SourceCursor cursor)
    {
        var segments = new List<KeySegment>(2);
        while (true)
        {
            segments.Add(ReadSegment(cursor));
            Trivia.SkipSpaces(cursor);
            if (cursor.Peek() != '.')
            {
                return segments;
            }

            cursor.Advance();
            Trivia.SkipSpaces(cursor);
        }
    }

    private static KeySegment ReadSegment(SourceCursor cursor)
    {
        var position = cursor.Position;
        switch (cursor.Peek())
        {
            case '"':
                RejectMultiline(cursor, "\"\"\"");
                return new KeySegment(BasicStringReader.ReadSingleLine(cursor), position);
            case '\'':
                RejectMultiline(cursor, "'''");
                return new KeySegment(LiteralStringReader.ReadSingleLine(cursor), position);
        }

        var start = cursor.Index;
        while (CharKinds.IsBareKeyChar(cursor.Peek()))
        {
            cursor.Advance();
        }

        if (cursor.Index == start)
        {
            throw cursor.Error(cursor.AtEnd || cursor.Peek() is '=' or '.' or ']' or '\n' or '\r'
                ? $"expected a key, found {cursor.DescribeCurrent()}"
                : $"expected a key, found {cursor.DescribeCurrent()} (bare keys may only use A-Z a-z 0-9 _ -; quote other keys)");
        }

        return new KeySegment(cursor.Text[start..cursor.Index], position);
    }

    private static void RejectMultiline(SourceCursor cursor, string delimiter)
    {
        if (cursor.StartsWith(delimiter))
        {
            throw cursor.Error("a multi-line string cannot be used as a key");
        }
    }
}
