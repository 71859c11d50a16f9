namespace LlmRouter.Configuration.Toml;

/// <summary>Line and column counted over decoded text, as Tomlyn counts them: a surrogate pair is one column, a leading byte order mark none.</summary>
internal static class LineColumn
{
    /// <summary>The position just past <paramref name="text"/>, the document's start up to some point.</summary>
    public static TomlPosition After(ReadOnlySpan<char> text)
    {
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }
        var lastLine = text[(text.LastIndexOf('\n') + 1)..];
        var column = 1;
        foreach (var c in lastLine)
        {
            if (!char.IsLowSurrogate(c))
            {
                column++;
            }
        }
        return new TomlPosition(text.Count('\n') + 1, column);
    }
}
