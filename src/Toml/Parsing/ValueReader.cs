namespace LlmRouter.Toml.Parsing;

/// <summary>Reads values, including arrays and inline tables, and <c>key = value</c> pairs.</summary>
internal sealed class ValueReader(SourceCursor cursor, TableTree tree)
{
    /// <summary>Reads <c>key = value</c> at the cursor and stores it in <paramref name="target"/>.</summary>
    public void ReadKeyValue(TomlTable target, int sectionId)
    {
        var key = KeyReader.Read(cursor);
        if (cursor.Peek() != '=')
        {
            throw cursor.Error($"expected '=' after key '{KeyText.Format(key)}', found {cursor.DescribeCurrent()}");
        }

        cursor.Advance();
        Trivia.SkipSpaces(cursor);
        if (cursor.AtEnd || cursor.Peek() is '\n' or '\r' or '#')
        {
            throw cursor.Error($"missing value for key '{KeyText.Format(key)}'");
        }

        var value = Read(target.Depth + key.Count);
        tree.AddKeyValue(target, key, value, sectionId);
    }

    /// <summary>Reads a value; <paramref name="depth"/> is the nesting level it gets if it is an array or table.</summary>
    private TomlValue Read(int depth)
    {
        var position = cursor.Position;
        return cursor.Peek() switch
        {
            '"' => new TomlString(BasicStringReader.Read(cursor), position),
            '\'' => new TomlString(LiteralStringReader.Read(cursor), position),
            '[' => ReadArray(depth, position),
            '{' => ReadInlineTable(depth, position),
            _ => BareValueReader.Read(cursor),
        };
    }

    private TomlArray ReadArray(int depth, TomlPosition open)
    {
        tree.CheckDepth(depth, open);
        var array = new TomlArray(open, depth, isArrayOfTables: false);
        cursor.Advance();
        while (true)
        {
            Trivia.SkipBlankLinesAndComments(cursor);
            if (cursor.Peek() == ']')
            {
                break;
            }

            if (cursor.AtEnd)
            {
                throw cursor.Error(open, "unterminated array (missing ']')");
            }

            array.Add(Read(depth + 1));
            Trivia.SkipBlankLinesAndComments(cursor);
            if (cursor.Peek() == ',')
            {
                cursor.Advance();
                continue;
            }

            if (cursor.Peek() == ']')
            {
                break;
            }

            throw cursor.AtEnd
                ? cursor.Error(open, "unterminated array (missing ']')")
                : cursor.Error($"expected ',' or ']' after an array element, found {cursor.DescribeCurrent()}");
        }

        cursor.Advance();
        return array;
    }

    private TomlTable ReadInlineTable(int depth, TomlPosition open)
    {
        tree.CheckDepth(depth, open);
        var table = new TomlTable(open, TableOrigin.Inline, depth, isInline: true);
        var sectionId = tree.NewSectionId();
        cursor.Advance();
        Trivia.SkipSpaces(cursor);
        if (cursor.Peek() == '}')
        {
            cursor.Advance();
            return table;
        }

        while (true)
        {
            RejectLineEnd(open);
            ReadKeyValue(table, sectionId);
            Trivia.SkipSpaces(cursor);
            if (cursor.Peek() == '}')
            {
                cursor.Advance();
                return table;
            }

            RejectLineEnd(open);
            if (cursor.Peek() != ',')
            {
                throw cursor.Error($"expected ',' or '}}' after an inline table entry, found {cursor.DescribeCurrent()}");
            }

            cursor.Advance();
            Trivia.SkipSpaces(cursor);
            if (cursor.Peek() == '}')
            {
                throw cursor.Error("a trailing comma is not allowed in an inline table (TOML 1.0)");
            }
        }
    }

    /// <summary>TOML 1.0 inline tables are single-line, so a comment or line break before the closing brace is an error.</summary>
    private void RejectLineEnd(TomlPosition open)
    {
        if (cursor.AtEnd)
        {
            throw cursor.Error(open, "unterminated inline table (missing '}')");
        }

        if (cursor.Peek() == '#' || Trivia.AtNewline(cursor))
        {
            throw cursor.Error($"an inline table must be closed on the line it starts (TOML 1.0), found {cursor.DescribeCurrent()} before '}}'");
        }
    }
}
