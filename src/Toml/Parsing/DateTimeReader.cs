namespace LlmRouter.Toml.Parsing;

/// <summary>Validates and converts RFC 3339 date/time tokens (offset date-time, local date-time, local date, local time).</summary>
internal static class DateTimeReader
{
    /// <summary>True when the token starts with digits followed by '-' or ':', which no number can do, so it must be a date or a time.</summary>
    public static bool LooksLikeDateOrTime(ReadOnlySpan<char> token) => FirstSeparator(token) is '-' or ':';

    /// <summary>Converts the token text[<paramref name="start"/>..<paramref name="end"/>).</summary>
    public static TomlDateTime Read(SourceCursor cursor, int start, int end, TomlPosition position)
    {
        var reader = new DateTimeToken(cursor, start, end);
        if (FirstSeparator(cursor.Text.AsSpan(start, end - start)) == ':')
        {
            var localTime = reader.ReadTime(0, out var localDigits, out var afterTime);
            reader.ExpectEnd(afterTime, "local time");
            return new TomlDateTime(position, null, localTime, null, localDigits, isZulu: false);
        }

        var date = reader.ReadDate();
        if (reader.Length == 10)
        {
            return new TomlDateTime(position, date, null, null, 0, isZulu: false);
        }

        if (reader.At(10) is not ('T' or 't' or ' '))
        {
            throw reader.Error(10, "expected 'T' or a space between the date and the time");
        }

        var time = reader.ReadTime(11, out var digits, out var i);
        if (i == reader.Length)
        {
            return new TomlDateTime(position, date, time, null, digits, isZulu: false);
        }

        var isZulu = reader.At(i) is 'Z' or 'z';
        var offset = isZulu ? TimeSpan.Zero : reader.ReadOffset(i);
        reader.ExpectEnd(isZulu ? i + 1 : i + 6, "date-time");
        return new TomlDateTime(position, date, time, offset, digits, isZulu);
    }

    /// <summary>The first character after the token's leading digits, or '\0' when it does not start with a digit.</summary>
    private static char FirstSeparator(ReadOnlySpan<char> token)
    {
        var digits = token.IndexOfAnyExceptInRange('0', '9');
        return digits > 0 ? token[digits] : '\0';
    }
}
