using System.Globalization;

namespace LlmRouter.Toml.Parsing;

/// <summary>Validates and converts integer and float tokens.</summary>
internal static class NumberReader
{
    /// <summary>Converts the token text[<paramref name="start"/>..<paramref name="end"/>) to a <see cref="TomlInteger"/> or <see cref="TomlFloat"/>.</summary>
    public static TomlValue Read(SourceCursor cursor, int start, int end, TomlPosition position)
    {
        var text = cursor.Text;
        var token = text[start..end];
        var negative = token[0] == '-';
        var bodyStart = token[0] is '+' or '-' ? start + 1 : start;
        var body = text.AsSpan(bodyStart, end - bodyStart);
        switch (body)
        {
            case "inf":
                return new TomlFloat(negative ? double.NegativeInfinity : double.PositiveInfinity, position);
            case "nan":
                return new TomlFloat(negative ? -double.NaN : double.NaN, position);
        }

        if (body.IsEmpty || !CharKinds.IsDigit(body[0]))
        {
            throw cursor.Error(start, body.StartsWith('.')
                ? $"invalid float '{token}': a digit is required before '.'"
                : $"invalid value '{token}' (strings must be quoted)");
        }

        if (body.Length > 1 && body[0] == '0' && body[1] is 'x' or 'o' or 'b' or 'X' or 'O' or 'B')
        {
            if (bodyStart != start)
            {
                throw cursor.Error(start, $"invalid integer '{token}': hexadecimal, octal and binary integers cannot have a sign");
            }

            var radix = char.ToLowerInvariant(body[1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            if (char.IsAsciiLetterUpper(body[1]))
            {
                throw cursor.Error(start + 1, $"invalid integer '{token}': the prefix must be lowercase (0x, 0o or 0b)");
            }

            return new TomlInteger(ReadRadix(cursor, start + 2, end, radix, token), position);
        }

        return ReadDecimal(cursor, bodyStart, end, negative, token, position);
    }

    private static TomlValue ReadDecimal(SourceCursor cursor, int start, int end, bool negative, string token, TomlPosition position)
    {
        var text = cursor.Text;
        var i = SkipDigits(cursor, start, end, 10, token);
        if (text[start] == '0' && i - start > 1)
        {
            throw cursor.Error(start, $"invalid number '{token}': leading zeros are not allowed");
        }

        var isFloat = false;
        if (i < end && text[i] == '.')
        {
            isFloat = true;
            i++;
            if (i >= end || !CharKinds.IsDigit(text[i]))
            {
                throw cursor.Error(i - 1, $"invalid float '{token}': a digit is required after '.'");
            }

            i = SkipDigits(cursor, i, end, 10, token);
        }

        if (i < end && text[i] is 'e' or 'E')
        {
            isFloat = true;
            i++;
            if (i < end && text[i] is '+' or '-')
            {
                i++;
            }

            if (i >= end || !CharKinds.IsDigit(text[i]))
            {
                throw cursor.Error(i, $"invalid float '{token}': the exponent needs digits");
            }

            i = SkipDigits(cursor, i, end, 10, token);
        }

        if (i < end)
        {
            throw cursor.Error(i, $"invalid number '{token}': unexpected {cursor.Describe(i)}");
        }

        return isFloat
            ? new TomlFloat(ToDouble(cursor, token), position)
            : new TomlInteger(Accumulate(cursor, start, end, 10, negative, token), position);
    }

    private static long ReadRadix(SourceCursor cursor, int start, int end, int radix, string token)
    {
        if (start == end)
        {
            throw cursor.Error(start - 2, $"invalid integer '{token}': digits are required after the prefix");
        }

        var i = SkipDigits(cursor, start, end, radix, token);
        if (i < end)
        {
            var kind = radix switch { 16 => "a hexadecimal", 8 => "an octal", _ => "a binary" };
            throw cursor.Error(i, $"invalid integer '{token}': {cursor.Describe(i)} is not {kind} digit");
        }

        return Accumulate(cursor, start, end, radix, negative: false, token);
    }

    /// <summary>Skips digits of <paramref name="radix"/> with underscores between them; returns the index of the first other character.</summary>
    private static int SkipDigits(SourceCursor cursor, int start, int end, int radix, string token)
    {
        var text = cursor.Text;
        var i = start;
        for (; i < end; i++)
        {
            if (text[i] == '_')
            {
                if (i == start || !IsDigit(text[i - 1], radix) || i + 1 >= end || !IsDigit(text[i + 1], radix))
                {
                    throw cursor.Error(i, $"invalid number '{token}': '_' is only allowed between digits");
                }
            }
            else if (!IsDigit(text[i], radix))
            {
                break;
            }
        }

        return i;
    }

    private static long Accumulate(SourceCursor cursor, int start, int end, int radix, bool negative, string token)
    {
        var text = cursor.Text;
        var limit = negative ? 1UL << 63 : long.MaxValue;
        var value = 0UL;
        for (var i = start; i < end; i++)
        {
            if (text[i] == '_')
            {
                continue;
            }

            var digit = (ulong)CharKinds.HexValue(text[i]);
            if (value > (limit - digit) / (ulong)radix)
            {
                // The cursor still sits at the token start, which is where a range error belongs.
                throw cursor.Error($"integer {token} is out of the 64-bit range");
            }

            value = (value * (ulong)radix) + digit;
        }

        return negative ? unchecked((long)(0UL - value)) : (long)value;
    }

    private static double ToDouble(SourceCursor cursor, string token)
    {
        // The grammar is already checked, so the BCL parser (correctly rounded) only sees plain digits.
        var compact = token.Replace("_", string.Empty, StringComparison.Ordinal);
        var value = double.Parse(compact, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(value)
            ? value
            : throw cursor.Error($"float {token} is out of the 64-bit floating-point range");
    }

    private static bool IsDigit(char c, int radix) => radix switch
    {
        10 => CharKinds.IsDigit(c),
        16 => char.IsAsciiHexDigit(c),
        8 => c is >= '0' and <= '7',
        _ => c is '0' or '1',
    };
}
