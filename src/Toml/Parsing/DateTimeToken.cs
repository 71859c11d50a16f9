namespace LlmRouter.Toml.Parsing;

/// <summary>Field-by-field reading of one date/time token, reporting errors at the offending field.</summary>
internal readonly ref struct DateTimeToken(SourceCursor cursor, int start, int end)
{
    private readonly ReadOnlySpan<char> _text = cursor.Text.AsSpan(start, end - start);

    public int Length => _text.Length;

    public char At(int i) => i < _text.Length ? _text[i] : '\0';

    public DateOnly ReadDate()
    {
        if (!TryDigits(0, 4, out var year) || At(4) != '-' || !TryDigits(5, 2, out var month) || At(7) != '-' || !TryDigits(8, 2, out var day))
        {
            throw Error(0, "expected a date as YYYY-MM-DD");
        }

        if (year == 0)
        {
            throw Error(0, "year 0000 is not supported");
        }

        if (month is < 1 or > 12)
        {
            throw Error(5, $"month {month:D2} is out of range (01-12)");
        }

        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            throw Error(8, $"day {day:D2} is out of range for {year:D4}-{month:D2}");
        }

        return new DateOnly(year, month, day);
    }

    /// <summary>Reads <c>HH:MM:SS[.fraction]</c> at <paramref name="i"/>; the fraction is truncated to 100 ns.</summary>
    public TimeOnly ReadTime(int i, out int fractionDigits, out int next)
    {
        if (!TryDigits(i, 2, out var hour) || At(i + 2) != ':' || !TryDigits(i + 3, 2, out var minute))
        {
            throw Error(i, "expected a time as HH:MM:SS");
        }

        if (At(i + 5) != ':' || !TryDigits(i + 6, 2, out var second))
        {
            throw Error(i, "expected a time as HH:MM:SS (TOML 1.0 requires the seconds)");
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            throw Error(i, $"time {hour:D2}:{minute:D2}:{second:D2} is out of range (hours 00-23, minutes and seconds 00-59)");
        }

        var ticks = (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond);
        next = i + 8;
        fractionDigits = 0;
        if (At(next) != '.')
        {
            return new TimeOnly(ticks);
        }

        var fractionStart = ++next;
        var fraction = 0L;
        while (CharKinds.IsDigit(At(next)))
        {
            // Digits beyond 100 ns are truncated, as the TOML specification requires.
            if (next - fractionStart < 7)
            {
                fraction = (fraction * 10) + (At(next) - '0');
                fractionDigits++;
            }

            next++;
        }

        if (fractionDigits == 0)
        {
            throw Error(fractionStart - 1, "a digit is required after the decimal point in the seconds");
        }

        for (var d = fractionDigits; d < 7; d++)
        {
            fraction *= 10;
        }

        return new TimeOnly(ticks + fraction);
    }

    /// <summary>Reads a numeric UTC offset <c>+HH:MM</c> or <c>-HH:MM</c> at <paramref name="i"/>.</summary>
    public TimeSpan ReadOffset(int i)
    {
        var sign = At(i);
        if (sign is not ('+' or '-') || !TryDigits(i + 1, 2, out var hours) || At(i + 3) != ':' || !TryDigits(i + 4, 2, out var minutes))
        {
            throw Error(i, "expected a UTC offset as Z, +HH:MM or -HH:MM");
        }

        if (hours > 23 || minutes > 59)
        {
            throw Error(i, $"UTC offset {sign}{hours:D2}:{minutes:D2} is out of range");
        }

        var offset = new TimeSpan(hours, minutes, 0);
        return sign == '-' ? -offset : offset;
    }

    public void ExpectEnd(int i, string kind)
    {
        if (i < _text.Length)
        {
            throw Error(i, $"unexpected {cursor.Describe(start + i)} after the {kind}");
        }
    }

    public TomlException Error(int i, string reason) =>
        cursor.Error(start + Math.Min(i, _text.Length), $"invalid date/time '{_text}': {reason}");

    private bool TryDigits(int i, int count, out int value)
    {
        value = 0;
        for (var k = i; k < i + count; k++)
        {
            if (!CharKinds.IsDigit(At(k)))
            {
                return false;
            }

            value = (value * 10) + (At(k) - '0');
        }

        return true;
    }
}
