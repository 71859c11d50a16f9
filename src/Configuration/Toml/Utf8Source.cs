using System.Buffers;
using System.Text.Unicode;

namespace LlmRouter.Configuration.Toml;

/// <summary>
/// Decodes a file strictly as UTF-8. Tomlyn's own decoding of a stream throws a DecoderFallbackException that
/// says nothing of where the bad byte is, so the text is decoded here and a bad byte reported at its line and column.
/// </summary>
internal static class Utf8Source
{
    public static string Decode(ReadOnlySpan<byte> utf8, string? path)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(utf8.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(utf8, buffer, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
            var decoded = buffer.AsSpan(0, charsWritten);
            if (status != OperationStatus.Done)
            {
                var at = LineColumn.After(decoded);
                throw new ConfigException(path, at.Line, at.Column, $"invalid UTF-8 byte 0x{utf8[bytesRead]:X2} at byte offset {bytesRead}");
            }
            // A leading byte order mark stays: Tomlyn skips one, and only one.
            return new string(decoded);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
