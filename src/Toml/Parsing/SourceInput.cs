using System.Buffers;
using System.Text.Unicode;

namespace LlmRouter.Toml.Parsing;

/// <summary>Turns parser input into validated UTF-16 text without a byte order mark.</summary>
internal static class SourceInput
{
    public static string FromUtf8(ReadOnlySpan<byte> utf8, string? sourceName)
    {
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(utf8.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(utf8, buffer, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
            var decoded = buffer.AsSpan(0, charsWritten);
            if (status != OperationStatus.Done)
            {
                throw InvalidInput(decoded, sourceName, $"invalid UTF-8 byte 0x{utf8[bytesRead]:X2} at byte offset {bytesRead}");
            }

            return new string(decoded);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    public static string FromString(string text, string? sourceName)
    {
        var span = text.AsSpan();
        if (span.StartsWith('\uFEFF'))
        {
            span = span[1..];
        }

        // A .NET string can hold unpaired surrogates, which no TOML (UTF-8) document can contain.
        var first = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first >= 0)
        {
            for (var i = first; i < span.Length; i++)
            {
                if (!char.IsSurrogate(span[i]))
                {
                    continue;
                }

                if (!char.IsSurrogatePair(span[i], i + 1 < span.Length ? span[i + 1] : '\0'))
                {
                    throw InvalidInput(span[..i], sourceName, $"unpaired UTF-16 surrogate U+{(int)span[i]:X4}");
                }

                i++;
            }
        }

        return span.Length == text.Length ? text : new string(span);
    }

    /// <summary>Builds the error for bad input at the end of <paramref name="validPrefix"/>, before a line map exists.</summary>
    private static TomlException InvalidInput(ReadOnlySpan<char> validPrefix, string? sourceName, string reason)
    {
        var line = validPrefix.Count('\n') + 1;
        var lastLine = validPrefix[(validPrefix.LastIndexOf('\n') + 1)..];
        var column = 1;
        foreach (var c in lastLine)
        {
            if (!char.IsLowSurrogate(c))
            {
                column++;
            }
        }

        return new TomlException(sourceName, line, column, reason);
    }
}
