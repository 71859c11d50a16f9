using System.Text;

namespace LlmRouter.Toml.Parsing;

/// <summary>The read position in a TOML document, with position lookup and error construction.</summary>
internal sealed class SourceCursor
{
    private readonly LineMap _lineMap;

    public SourceCursor(string text, string? sourceName)
    {
        Text = text;
        SourceName = sourceName;
        _lineMap = new LineMap(text);
    }

    public string Text { get; }

    public string? SourceName { get; }

    public int Index { get; set; }

    public bool AtEnd => Index >= Text.Length;

    /// <summary>Reused by the string readers; strings never nest, so one buffer suffices.</summary>
    public StringBuilder Scratch { get; } = new();

    public TomlPosition Position => _lineMap.PositionOf(Index);

    /// <summary>The character at <see cref="Index"/> + <paramref name="offset"/>, or '\0' past the end (callers check <see cref="AtEnd"/> where a real NUL matters).</summary>
    public char Peek(int offset = 0)
    {
        var i = Index + offset;
        return (uint)i < (uint)Text.Length ? Text[i] : '\0';
    }

    public void Advance(int count = 1) => Index += count;

    public bool StartsWith(string value) => Text.AsSpan(Index).StartsWith(value, StringComparison.Ordinal);

    public TomlException Error(string reason) => Error(Index, reason);

    public TomlException Error(int index, string reason) => Error(_lineMap.PositionOf(index), reason);

    public TomlException Error(TomlPosition position, string reason) =>
        new(SourceName, position.Line, position.Column, reason);

    /// <summary>Names the character at <paramref name="index"/> for an error message.</summary>
    public string Describe(int index)
    {
        if (index >= Text.Length)
        {
            return "end of file";
        }

        var c = Text[index];
        if (c == '\n' || (c == '\r' && index + 1 < Text.Length && Text[index + 1] == '\n'))
        {
            return "end of line";
        }

        if (c is >= ' ' and <= '~')
        {
            return $"'{c}'";
        }

        if (c < ' ' || c == '\x7F')
        {
            return $"control character U+{(int)c:X4}";
        }

        var rune = Rune.GetRuneAt(Text, index);
        return $"'{rune}' (U+{rune.Value:X4})";
    }

    public string DescribeCurrent() => Describe(Index);
}
