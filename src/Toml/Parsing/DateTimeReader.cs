namespace LlmRouter.Toml.Parsing;

/// <summary>Validates and converts RFC 3339 date/time tokens (offset date-time, local date-time, local date, local time).</summary>
internal static class DateTimeReader
{
    /// <summary>True when the token starts like <c>YYYY-</c> or <c>HH:</c>, so it can only be a date or a time.</summary>
    public static bool LooksLikeDateOrTime(ReadOnlySpan<char> token) =>
        (token.Length >= 3 && CharKinds.IsDigit(token[0]) && CharKinds.IsDigit(token[1]) && token[2] == ':') ||
        (token.Length >= 5 && !token[..4].ContainsAnyExceptInRange('0', '9') && token[4] == '-');

    /// <summary>Converts the token text[<paramref name="start"/>..<paramref name="end"/>).</summary>
    public static TomlDateTime Read(SourceCursor cursor, int start, int end, TomlPosition position)
    {
        var reader = new DateTimeToken(cursor, start, end);
        if (reader.At(2) == ':')
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
}
