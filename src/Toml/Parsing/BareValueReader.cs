namespace LlmRouter.Toml.Parsing;

/// <summary>Reads unquoted scalar values: booleans, integers, floats and date/times.</summary>
internal static class BareValueReader
{
    public static TomlValue Read(SourceCursor cursor)
    {
        var text = cursor.Text;
        var start = cursor.Index;
        var position = cursor.Position;

        // Reading the whole token first lets errors name what was written ("invalid value 'tru'").
        var end = ScanToken(text, start);

        // A space may separate date and time ("1979-05-27 07:32:00"); only a digit after it continues the value.
        if (end - start == 10 && end + 1 < text.Length && text[end] == ' ' && CharKinds.IsDigit(text[end + 1])
            && DateTimeReader.LooksLikeDateOrTime(text.AsSpan(start, end - start)))
        {
            end = ScanToken(text, end + 1);
        }

        if (end == start)
        {
            throw cursor.Error($"expected a value, found {cursor.DescribeCurrent()}");
        }

        var token = text.AsSpan(start, end - start);
        TomlValue value = token switch
        {
            "true" => new TomlBoolean(true, position),
            "false" => new TomlBoolean(false, position),
            _ when DateTimeReader.LooksLikeDateOrTime(token) => DateTimeReader.Read(cursor, start, end, position),
            _ => NumberReader.Read(cursor, start, end, position),
        };
        cursor.Index = end;
        return value;
    }

    private static int ScanToken(string text, int index)
    {
        while (index < text.Length && CharKinds.IsBareValueChar(text[index]))
        {
            index++;
        }

        return index;
    }
}
