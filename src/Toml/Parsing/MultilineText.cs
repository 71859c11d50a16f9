using System.Text;

namespace LlmRouter.Toml.Parsing;

/// <summary>Rules shared by the two multi-line string forms.</summary>
internal static class MultilineText
{
    /// <summary>A line break right after the opening delimiter is not part of the string.</summary>
    public static int SkipOpeningNewline(SourceCursor cursor, int index)
    {
        var text = cursor.Text;
        if (index < text.Length && text[index] == '\n')
        {
            return index + 1;
        }

        if (index < text.Length && text[index] == '\r')
        {
            return index + 1 < text.Length && text[index + 1] == '\n'
                ? index + 2
                : throw Trivia.BareCarriageReturn(cursor, index);
        }

        return index;
    }

    /// <summary>Length of the run of <paramref name="quote"/> characters at <paramref name="index"/>, rejecting runs no delimiter can explain.</summary>
    public static int QuoteRun(SourceCursor cursor, int index, char quote)
    {
        var text = cursor.Text;
        var end = index;
        while (end < text.Length && text[end] == quote)
        {
            end++;
        }

        var length = end - index;
        return length <= 5
            ? length
            : throw cursor.Error(index, $"too many {quote} in a row: at most two may appear next to the closing delimiter; escape or split the others");
    }

    /// <summary>Appends a CRLF line break as LF so values do not depend on the file's line endings.</summary>
    public static int AppendCrLf(SourceCursor cursor, int index, StringBuilder builder)
    {
        var text = cursor.Text;
        if (index + 1 >= text.Length || text[index + 1] != '\n')
        {
            throw Trivia.BareCarriageReturn(cursor, index);
        }

        builder.Append('\n');
        return index + 2;
    }
}
