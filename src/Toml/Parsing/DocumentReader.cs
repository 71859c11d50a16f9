namespace LlmRouter.Toml.Parsing;

/// <summary>Reads a whole TOML document line by line: comments, table headers and key/value pairs.</summary>
internal sealed class DocumentReader
{
    private readonly SourceCursor _cursor;
    private readonly TableTree _tree;
    private readonly ValueReader _values;

    public DocumentReader(string text, string? sourceName)
    {
        _cursor = new SourceCursor(text, sourceName);
        _tree = new TableTree(_cursor);
        _values = new ValueReader(_cursor, _tree);
    }

    public TomlTable Read()
    {
        var section = _tree.Root;
        var sectionId = 0;
        while (true)
        {
            Trivia.SkipSpaces(_cursor);
            if (_cursor.AtEnd)
            {
                return _tree.Root;
            }

            switch (_cursor.Peek())
            {
                case '#':
                    Trivia.SkipComment(_cursor);
                    Trivia.ExpectLineEnd(_cursor, "comment");
                    break;
                case '\n' or '\r':
                    Trivia.ExpectLineEnd(_cursor, "blank line");
                    break;
                case '[':
                    section = ReadHeader();
                    sectionId = _tree.NewSectionId();
                    Trivia.ExpectLineEnd(_cursor, "table header");
                    break;
                default:
                    _values.ReadKeyValue(section, sectionId);
                    Trivia.ExpectLineEnd(_cursor, "value");
                    break;
            }
        }
    }

    private TomlTable ReadHeader()
    {
        var header = _cursor.Position;
        _cursor.Advance();
        var isArray = _cursor.Peek() == '[';
        if (isArray)
        {
            _cursor.Advance();
        }

        Trivia.SkipSpaces(_cursor);
        var key = KeyReader.Read(_cursor);
        var close = isArray ? "]]" : "]";
        if (!_cursor.StartsWith(close))
        {
            throw _cursor.Error($"expected '{close}' to close the table header, found {_cursor.DescribeCurrent()}");
        }

        _cursor.Advance(close.Length);
        return isArray ? _tree.AppendArrayTable(key, header) : _tree.DefineTable(key, header);
    }
}
