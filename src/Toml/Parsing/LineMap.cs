namespace LlmRouter.Toml.Parsing;

/// <summary>Maps character indexes of the source text to 1-based line/column positions.</summary>
internal sealed class LineMap
{
    private readonly string _text;
    private readonly int[] _lineStarts;

    // Without surrogate pairs a column is just an index difference; with them each pair counts once.
    private readonly bool _hasSurrogates;

    // Positions are mostly requested left to right, so counting resumes from the previous answer.
    private int _cachedLine = -1;
    private int _cachedIndex;
    private int _cachedColumn;

    public LineMap(string text)
    {
        _text = text;
        var span = text.AsSpan();
        _lineStarts = new int[span.Count('\n') + 1];
        var line = 1;
        for (var i = span.IndexOf('\n'); i >= 0; i = NextNewline(span, i))
        {
            _lineStarts[line++] = i + 1;
        }

        _hasSurrogates = span.IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
    }

    public TomlPosition PositionOf(int index)
    {
        var line = Array.BinarySearch(_lineStarts, index);
        if (line < 0)
        {
            line = ~line - 1;
        }

        var lineStart = _lineStarts[line];
        if (!_hasSurrogates)
        {
            return new TomlPosition(line + 1, index - lineStart + 1);
        }

        var from = lineStart;
        var column = 1;
        if (line == _cachedLine && _cachedIndex <= index)
        {
            from = _cachedIndex;
            column = _cachedColumn;
        }

        for (var i = from; i < index && i < _text.Length; i++)
        {
            if (!char.IsLowSurrogate(_text[i]))
            {
                column++;
            }
        }

        (_cachedLine, _cachedIndex, _cachedColumn) = (line, index, column);
        return new TomlPosition(line + 1, column);
    }

    private static int NextNewline(ReadOnlySpan<char> span, int previous)
    {
        var next = span[(previous + 1)..].IndexOf('\n');
        return next < 0 ? -1 : previous + 1 + next;
    }
}
